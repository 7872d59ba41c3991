/*
 * The fused von Peter (2004) kernel in C: every output of the fundamental equilibrium after the
 * shock tau, and the crisis thresholds, point by point, in one pass over the inputs.
 *
 * The Python module bsrlab.models.vonpeter.kernel calls ``solve`` on contiguous float64 buffers
 * and falls back to its pure-numpy path when this extension is not built. The equations and the
 * closed forms are those of bsrlab.models.vonpeter.solve, .thresholds and .closed (powers as
 * exponentials of logarithms). The regime-1 root, in v = log(1 - R delta), takes a closed-form
 * Halley step from v = 0 and NIT - 1 more Halley steps at every point of regime 1; the few
 * points whose last step is not below HALLEY_TOL continue with monotone Newton steps to
 * |step| <= STEP_TOL. delta_0 is found by the monotone Newton iteration of .thresholds, with
 * its stopping rule, point by point.
 *
 * exp, expm1, log and log1p are written here (Cody-Waite reduction and the polynomials of
 * fdlibm, evaluated with fused multiply-adds), branch-free, so the compiler vectorises the
 * loops; they are accurate to about one ulp. The file is compiled without floating-point
 * contraction (-ffp-contract=off): every operation is one correctly rounded IEEE operation,
 * and the fused multiply-adds are explicit fma() calls, which are exact by definition whether
 * the processor has the instruction or the C library computes them. So a point's result does
 * not depend on the vector width, the block it falls in or the machine's instruction set. On
 * x86-64 the kernel is compiled twice, for AVX2 with FMA and for the baseline, and the right
 * one is chosen when the module loads (the baseline one, with fma() in software, is correct but
 * slow: ``HARDWARE_FMA`` tells the Python side to prefer its numpy path then).
 *
 * Work goes in blocks of BLK points: array inputs are read in place, scalar ones from a block
 * filled once; each loop holds about one exponential or logarithm (so the processor overlaps
 * many points); the points of regime 1 are packed (and padded to whole vectors) before the root
 * is found; the stages a request does not need are skipped; only the outputs asked for are
 * written. With ``stream`` set (large calls, whose outputs would not stay in the cache anyway)
 * a block's results are staged in the cache and written with non-temporal stores, which do not
 * read the destination first, in pieces between the next block's loops. The inadmissible
 * points are counted (the caller names the parameter), and the GIL is released while the kernel
 * runs. For delta_0, the passes over the block continue over the points not yet stopped only,
 * packed, once most have stopped.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#define BLK 512
#define BS (BLK + 8) /* a block array and a cache line of padding (see Work) */
#define VW 8   /* packed loops run over whole vectors of this many points */
#define NIT 3  /* Halley steps: the first in closed form, then NIT - 1 */
#define MAX_IT 60
#define STEP_TOL 1e-14
/* A Halley step this small leaves an error of order its cube: the root is exact in doubles. */
#define HALLEY_TOL 1e-7
/* delta_0: a point stops once its step is within a few ulps (as in .thresholds) */
#define D0_ULPS (8.0 * 2.220446049250313e-16)
#define UNIT 32 /* points per streamed piece: 256 bytes, four cache lines */
#define UPB (BLK / UNIT)
#define NDRAIN 16 /* streamed pieces are written at this many points of a block */

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#define X86_DISPATCH 1
#define ALWAYS_INLINE __attribute__((always_inline)) inline
#else
#define ALWAYS_INLINE inline
#endif

static inline double asdouble(uint64_t i) { double d; memcpy(&d, &i, 8); return d; }
static inline uint64_t asuint(double d) { uint64_t i; memcpy(&i, &d, 8); return i; }

static const double LN2_HI = 6.93147180369123816490e-01;
static const double LN2_LO = 1.90821492927058770002e-10;
static const double INV_LN2 = 1.44269504088896338700e+00;
static const double SHIFT = 6755399441055744.0; /* 1.5 * 2^52 */

/* e^x = 2^(k/4) (1 + p) with |r| <= ln2/8: returns p = e^r - 1 and the scale 2^(k/4).
 * 2^(j/4), j = 0..3, is chosen by selects (no table lookup), so the loops vectorise. */
static const double QLN2_HI = 1.73286795092280954123e-01; /* LN2_HI / 4 */
static const double QLN2_LO = 4.77053732317646925005e-11; /* LN2_LO / 4 */
static ALWAYS_INLINE double exp_core(double x, double *scale) {
    double xc = x < -708.0 ? -708.0 : x;
    xc = xc > 709.0 ? 709.0 : xc;
    double kd = xc * (4.0 * INV_LN2) + SHIFT;
    uint64_t ki = asuint(kd);
    kd = kd - SHIFT;
    double r = fma(-kd, QLN2_LO, fma(-kd, QLN2_HI, xc));
    /* e^r - 1 = r + r^2/2 + ... + r^10/10!, Estrin's scheme */
    double r2 = r * r, r4 = r2 * r2;
    double c23 = fma(r, 1.0 / 24.0, 1.0 / 6.0);
    double c45 = fma(r, 1.0 / 720.0, 1.0 / 120.0);
    double c67 = fma(r, 1.0 / 40320.0, 1.0 / 5040.0);
    double c89 = fma(r, 1.0 / 3628800.0, 1.0 / 362880.0);
    double hi = fma(r4, c89, fma(r2, c67, c45));
    double p = fma(r2, fma(r, fma(r2, hi, c23), 0.5), r);
    uint64_t j = ki & 3u;
    double t = j == 0 ? 1.0 : j == 1 ? 1.18920711500272106672 : j == 2 ? 1.41421356237309504880
                                                                       : 1.68179283050742908606;
    *scale = t * asdouble(((ki >> 2) + 1023u) << 52);
    return p;
}

static ALWAYS_INLINE double k_exp(double x) {
    double s;
    double p = exp_core(x, &s);
    double y = fma(s, p, s);
    y = x > 709.782712893384 ? INFINITY : y;
    y = x < -708.0 ? 0.0 : y;
    return x != x ? x : y;
}

static ALWAYS_INLINE double k_expm1(double x) {
    double s;
    double p = exp_core(x, &s);
    double y = fma(s, p, s - 1.0);
    y = x > 709.782712893384 ? INFINITY : y;
    y = x < -708.0 ? -1.0 : y;
    return x != x ? x : y;
}

/* log(x) for x > 0 (fdlibm's polynomial); NaN below 0, -inf at 0, +inf at +inf. */
static ALWAYS_INLINE double k_log(double x) {
    static const double Lg1 = 6.666666666666735130e-01, Lg2 = 3.999999999940941908e-01,
                        Lg3 = 2.857142874366239149e-01, Lg4 = 2.222219843214978396e-01,
                        Lg5 = 1.818357216161805012e-01, Lg6 = 1.531383769920937332e-01,
                        Lg7 = 1.479819860511658591e-01;
    int subn = x < 2.2250738585072014e-308;              /* subnormals scaled by 2^54 */
    double xs = subn ? x * 18014398509481984.0 : x;
    xs = xs > 0.0 ? xs : 1.0;                           /* 0 and negatives: fixed below */
    xs = xs > 1.7976931348623157e308 ? 1.0 : xs;
    uint64_t ix = asuint(xs);
    uint64_t tmp = ix - 0x3fe6a09e667f3bcdULL;           /* z in [sqrt(2)/2, sqrt(2)) */
    uint64_t iz = ix - (tmp & (0xfffULL << 52));
    uint64_t ke = (ix - 0x0006a09e667f3bcdULL) >> 52;     /* k + 1022 */
    double dk = (asdouble(0x4330000000000000ULL | ke) - 4503599627370496.0) - 1022.0;
    dk = subn ? dk - 54.0 : dk;
    double f = asdouble(iz) - 1.0;
    double s = f / (2.0 + f);
    double z = s * s;
    double w = z * z;
    double t1 = w * fma(w, fma(w, Lg6, Lg4), Lg2);
    double t2 = z * fma(w, fma(w, fma(w, Lg7, Lg5), Lg3), Lg1);
    double R = t2 + t1;
    double hfsq = 0.5 * f * f;
    double y = fma(dk, LN2_HI, -((hfsq - fma(s, hfsq + R, dk * LN2_LO)) - f));
    y = x == 0.0 ? -INFINITY : y;
    y = x < 0.0 ? NAN : y;
    y = x > 1.7976931348623157e308 ? INFINITY : y;
    return x != x ? x : y;
}

static ALWAYS_INLINE double k_log1p(double x) {
    double u = 1.0 + x;
    double c = x - (u - 1.0); /* the rounding error of 1 + x */
    double y = k_log(u) + c / u;
    y = u == 1.0 ? x : y;
    y = x == -1.0 ? -INFINITY : y;
    return y;
}

/* The float outputs, in the order of the Python side's FLOAT_OUTPUTS. */
enum {
    O_DELTA, O_P_T, O_P_NEXT, O_S_T, O_S_NEXT, O_ASSET, O_LOSSES, O_OMEGA, O_PI_T, O_K_T,
    O_DIV_T, O_D_T, O_DEP_LOSS, O_DELTA_STAR, O_TAU_DIV, O_TAU_STAR, O_TAU_K, O_DELTA_0,
    O_DELTA_DIV, O_DELTA_K, O_TAU_0, N_FLOAT_OUT
};
#define N_ROOT_OUT 13 /* the outputs of the equilibrium: O_DELTA .. O_DEP_LOSS */

typedef struct {
    double max_res;     /* largest residual of the fixed point (22) */
    long long nonfinite;
    long long slow;     /* points that needed Newton steps after the Halley steps */
    long long nan_res;
    long long bad;      /* points outside the admissible box */
    long long nroot;    /* points of regime 1 */
    int max_it;
    int d0_it;          /* delta_0: most Newton steps of a point */
    long long d0_open;  /* delta_0: points not stopped */
    long long d0_nan;
    double d0_res;      /* delta_0: largest scaled residual */
} Stats;

/* The block arrays of one call, on the heap (a thread's stack may be small), aligned on a cache
 * line. Each is padded by a cache line, so that arrays read or written together do not fall
 * into the same sets of the first-level cache (which arrays 4 KiB apart would). */
typedef struct {
    double sbuf[5][BS];
    double ds[BS], l1ds[BS], pbar1[BS], pbar0[BS], ggb[BS];
    double cR[BS], cgg[BS], ct[BS], cv[BS], cstep[BS], ctarget[BS], w1[BS], w2[BS];
    double d1[BS], pn1[BS], pt1[BS], cres[BS];
    double qHb[BS], Kb[BS], delta[BS], p_t[BS], p_next[BS], s_t[BS], res[BS];
    double stg[N_FLOAT_OUT][BS];
    int r1[BS], idx[BS];
    double qd[BS], qap[BS], qcc[BS], qee[BS], qal[BS]; /* delta_0: the points still open */
    int qidx[BS], qopen[BS], qnit[BS];
} Work;

typedef struct {
    Work *work;
    const double *in[5]; /* a, R, g, y, tau */
    int scalar[5];
    double sval[5];
    double *out[N_FLOAT_OUT];
    signed char *regime;
    int stream;
    int d0_max_iter;
} Args;

static inline double nonneg(double d) { return d < 0.0 ? 0.0 : d; } /* max(d, 0); NaN stays */

#if defined(__SSE2__)
#include <emmintrin.h>
/* Non-temporal stores of m doubles (ordinary ones where the destination is misaligned). */
static inline void put(double *dst, const double *src, int m) {
    uintptr_t ad = (uintptr_t)dst;
    if (ad & 7) {
        memcpy(dst, src, (size_t)m * sizeof(double));
        return;
    }
    int i = 0;
    if (ad & 15) { dst[0] = src[0]; i = 1; }
    for (; i + 1 < m; i += 2) _mm_stream_pd(dst + i, _mm_loadu_pd(src + i));
    for (; i < m; i++) dst[i] = src[i];
}
static inline void store_fence(void) { _mm_sfence(); }
#else
static inline void put(double *dst, const double *src, int m) {
    memcpy(dst, src, (size_t)m * sizeof(double));
}
static inline void store_fence(void) {}
#endif

/* The staged block of streamed outputs and how much of it is written. */
typedef struct {
    int list[N_FLOAT_OUT]; /* the float outputs asked for */
    int nk;
    Py_ssize_t lo;         /* the staged block: its first point, its length */
    int m;
    int done, total;       /* pieces written, pieces staged */
} Pending;

static inline void drain(Pending *p, double (*stg)[BS], double *const *O, int upto) {
    while (p->done < upto) {
        int u = p->done++;
        int k = p->list[u / UPB], off = (u % UPB) * UNIT;
        int len = p->m - off;
        if (len > 0) put(O[k] + p->lo + off, stg[k] + off, len < UNIT ? len : UNIT);
    }
}

/* One Newton step for F(v) = log(R - 1 + e^v) + g v - log(R (1 - tau)) = 0. */
#define NEWTON_STEP                                                                            \
    {                                                                                          \
        double w_ = k_exp(vi);                                                                 \
        double den_ = Rm1 + w_;                                                                \
        sp = (k_log(den_) + gg * vi - target) / (w_ / den_ + gg);                              \
        vi = vi - sp;                                                                          \
    }

/* One Newton pass of delta_0 over m points (the open ones step); returns how many stay open. */
static ALWAYS_INLINE int d0_pass(int m, double *restrict d, const double *restrict ap,
                                 const double *restrict cc, const double *restrict ee,
                                 const double *restrict al, int *restrict open,
                                 int *restrict nit, double *restrict lw, double *restrict xe) {
    for (int i = 0; i < m; i++) lw[i] = k_log1p(cc[i] * d[i]);
    for (int i = 0; i < m; i++) xe[i] = k_exp(ee[i] * lw[i]);
    int left = 0;
    for (int i = 0; i < m; i++) {
        double di = d[i], x = xe[i], api = ap[i], ali = al[i];
        double phi = di * api + ali - x;
        double dphi = api - ee[i] * cc[i] * x / (1.0 + cc[i] * di);
        double step = phi / dphi;
        double dn = di - step;
        double noise = (fabs(dn * api) + fabs(ali) + fabs(x)) / fabs(dphi);
        int fin = fabs(step) <= D0_ULPS * (fabs(dn) + noise);
        int op = open[i];
        d[i] = op ? dn : di;
        nit[i] += op;
        open[i] = op & !fin;
        left += op & !fin;
    }
    return left;
}

static ALWAYS_INLINE void run_body(const Args *A, Py_ssize_t n, Stats *st) {
    /* A scalar input is broadcast once into its block array; an array input is read in place. */
    Work *W = A->work;
    double (*restrict sbuf)[BS] = W->sbuf;
    for (int j = 0; j < 5; j++)
        if (A->scalar[j])
            for (int i = 0; i < BLK; i++) sbuf[j][i] = A->sval[j];
    double *restrict ds = W->ds, *restrict l1ds = W->l1ds, *restrict pbar1 = W->pbar1,
           *restrict pbar0 = W->pbar0, *restrict ggb = W->ggb, *restrict cR = W->cR,
           *restrict cgg = W->cgg, *restrict ct = W->ct, *restrict cv = W->cv,
           *restrict cstep = W->cstep, *restrict ctarget = W->ctarget, *restrict w1 = W->w1,
           *restrict w2 = W->w2, *restrict d1 = W->d1, *restrict pn1 = W->pn1,
           *restrict pt1 = W->pt1, *restrict cres = W->cres, *restrict qHb = W->qHb,
           *restrict Kb = W->Kb, *restrict delta = W->delta, *restrict p_t = W->p_t,
           *restrict p_next = W->p_next, *restrict s_t = W->s_t, *restrict res = W->res;
    double (*restrict stg)[BS] = W->stg; /* one block of results, before they go out */
    int *restrict r1 = W->r1, *restrict idx = W->idx;
    double *const *O = A->out;
    const int sm = A->stream;
    Pending pd;
    memset(&pd, 0, sizeof pd);
    int nroot = 0;
    for (int k = 0; k < N_FLOAT_OUT; k++)
        if (O[k]) pd.list[pd.nk++] = k;
    for (int k = 0; k < N_ROOT_OUT; k++) nroot += O[k] != NULL;
    /* the equilibrium (and its root) is needed unless only thresholds are asked for */
    const int eq = nroot > 0 || A->regime != NULL;
    const int need_d0 = O[O_DELTA_0] || O[O_TAU_0];
    /* many outputs: one loop computes them all; few: one loop per output asked for */
    const int fused = nroot >= 6;
    /* write the pending pieces up to the fraction q/NDRAIN of the staged block */
#define DRAIN(q)                                                                               \
    if (sm) drain(&pd, stg, O, pd.total * (q) / NDRAIN);
    long long nbad = 0;
    for (Py_ssize_t lo = 0; lo < n; lo += BLK) {
        int m = (int)(n - lo < BLK ? n - lo : BLK);
        const double *restrict a = A->scalar[0] ? sbuf[0] : A->in[0] + lo;
        const double *restrict R = A->scalar[1] ? sbuf[1] : A->in[1] + lo;
        const double *restrict g = A->scalar[2] ? sbuf[2] : A->in[2] + lo;
        const double *restrict y = A->scalar[3] ? sbuf[3] : A->in[3] + lo;
        const double *restrict tau = A->scalar[4] ? sbuf[4] : A->in[4] + lo;
        int bad = 0;
        /* Stage A: the closed forms at every point. Each loop holds one exponential or
         * logarithm, so the processor overlaps many points (a long chain per point would
         * leave it waiting on latency). */
        for (int i = 0; i < m; i++) w1[i] = k_log(R[i] / a[i]);
        DRAIN(2)
        for (int i = 0; i < m; i++) w2[i] = k_expm1((1.0 - g[i]) * w1[i]); /* (R/a)^(1-g) - 1 */
        DRAIN(4)
        for (int i = 0; i < m; i++) {
            ds[i] = (R[i] - 1.0) * w2[i];                       /* delta* (28) */
            l1ds[i] = k_log1p(-ds[i]);
            ggb[i] = g[i] / (1.0 - g[i]);                        /* -e, e = g/(g-1) */
        }
        DRAIN(6)
        for (int i = 0; i < m; i++) {
            double gi = g[i], Ri = R[i];
            double pb1 = k_exp(-ggb[i] * l1ds[i]);              /* (1 - delta*)^e (31) */
            pbar1[i] = pb1;
            pbar0[i] = (1.0 + w2[i]) * (a[i] / Ri);             /* (R/alpha)^(-gamma) (24) */
            double tdiv = 1.0 - (1.0 - ds[i] / Ri) / pb1;       /* tau_Div (33) */
            r1[i] = tau[i] < tdiv;
            double ai = a[i], yi = y[i], ti = tau[i];
            /* the admissible box, counted without branches (so the loop vectorises) */
            int ok = (Ri > 1.0) & (ai > Ri - 1.0) & (ai < 1.0) & (gi >= 0.0) & (gi < 1.0) &
                     (yi > 0.0) & (yi <= 1.7976931348623157e308) & (ti >= 0.0) & (ti <= 1.0);
            bad += 1 - ok;
        }
        nbad += bad;
        DRAIN(8)
        if (eq) {
            /* The points of regime 1, packed (without branches: the regime is unpredictable),
             * then padded to whole vectors with a harmless point. */
            int c = 0;
            for (int i = 0; i < m; i++) {
                idx[c] = i;
                c += r1[i];
            }
            for (int j = 0; j < c; j++) {
                int i = idx[j];
                cR[j] = R[i];
                cgg[j] = ggb[i];
                ct[j] = tau[i];
            }
            int cp = (c + VW - 1) & ~(VW - 1);
            for (int j = c; j < cp; j++) {
                cR[j] = 1.5;
                cgg[j] = 1.0;
                ct[j] = 0.25;
            }
            /* Stage N: NIT Halley steps, the first from v = 0 in closed form. */
            for (int j = 0; j < cp; j++) w1[j] = k_log1p(-ct[j]);
            for (int j = 0; j < cp; j++) {
                /* at v = 0: e^v = 1, R - 1 + e^v = R, F = -log(1 - tau), F' = 1/R + g/(1-g),
                 * F'' = (R - 1)/R^2 */
                double Ri = cR[j], gg = cgg[j];
                double F = -w1[j], F1 = 1.0 / Ri + gg, F2 = (Ri - 1.0) / (Ri * Ri);
                ctarget[j] = k_log(Ri) + w1[j];
                cv[j] = -(2.0 * F * F1) / (2.0 * F1 * F1 - F * F2);
            }
            DRAIN(9)
            for (int k = 1; k < NIT; k++) {
                for (int j = 0; j < cp; j++) w2[j] = k_exp(cv[j]);
                for (int j = 0; j < cp; j++) {
                    double Rm1 = cR[j] - 1.0, gg = cgg[j], vi = cv[j], w = w2[j];
                    double den = Rm1 + w;
                    double F = k_log(den) + gg * vi - ctarget[j];
                    double F1 = w / den + gg;
                    double F2 = w * Rm1 / (den * den);
                    double sp = (2.0 * F * F1) / (2.0 * F1 * F1 - F * F2);
                    cv[j] = vi - sp;
                    cstep[j] = sp;
                }
                DRAIN(9 + k)
            }
            /* Stage B: the few points that need more steps (Newton's, monotone from the right). */
            for (int j = 0; j < c; j++) {
                if (!(fabs(cstep[j]) <= HALLEY_TOL)) {
                    double Rm1 = cR[j] - 1.0, gg = cgg[j];
                    double target = ctarget[j];
                    double vi = cv[j];
                    int it = NIT;
                    double sp = cstep[j];
                    while (it < MAX_IT && !(fabs(sp) <= STEP_TOL)) {
                        NEWTON_STEP
                        it++;
                    }
                    cv[j] = vi;
                    cstep[j] = fabs(sp) <= STEP_TOL ? sp : NAN; /* NaN marks a failed root */
                    st->slow++;
                    if (it > st->max_it) st->max_it = it;
                }
            }
            /* back from v = log(1 - R delta) <= 0 (a root at v = +1e-17 is round-off) */
            for (int j = 0; j < cp; j++) {
                double v = cv[j] < 0.0 ? cv[j] : 0.0;
                cv[j] = v;
                d1[j] = -k_expm1(v) / cR[j] + 0.0;              /* -0 -> +0 */
            }
            for (int j = 0; j < cp; j++) {
                double pn = k_exp(-cgg[j] * cv[j]);
                pn1[j] = pn;
                double r = fabs(d1[j] - 1.0 + (1.0 - ct[j]) * pn);
                cres[j] = cstep[j] != cstep[j] ? NAN : r;
            }
            DRAIN(12)
            for (int j = 0; j < cp; j++) w1[j] = k_log1p(cR[j] * d1[j] / (cR[j] - 1.0));
            for (int j = 0; j < cp; j++) pt1[j] = k_exp(-cgg[j] * w1[j]); /* (23) */
            DRAIN(13)
            st->nroot += c;
            /* Stage C: the regime's prices. */
            for (int i = 0; i < m; i++) {
                double ti = tau[i], ai = a[i], yi = y[i];
                delta[i] = 1.0 - (1.0 - ti) * pbar1[i];         /* (22), regime 2 */
                p_t[i] = pbar0[i];
                p_next[i] = pbar1[i];
                s_t[i] = pbar0[i] * yi;
                res[i] = 0.0;
                qHb[i] = ai * yi / (R[i] - 1.0);                /* (11) */
                Kb[i] = ai * yi / R[i];                         /* K = s */
            }
            for (int j = 0; j < c; j++) {
                int i = idx[j];
                delta[i] = d1[j];
                p_t[i] = pt1[j];
                p_next[i] = pn1[j];
                s_t[i] = Kb[i] + d1[j] * qHb[i];                /* s + delta qH (23) */
                res[i] = cres[j];
            }
            DRAIN(14)
        }
        if (need_d0) {
            /* delta_0 (Appendix 2): phi(d) = d alpha/(R-1) + alpha - (1 + R d/(R-1))^e = 0 is
             * increasing and concave, phi(0) = alpha - 1 < 0, so Newton's method from d = 0
             * climbs monotonically to the root. A point stops once its step is within a few
             * ulps of d or of the rounding noise of phi/phi' (as in .thresholds); the passes go
             * on while a point of the block has not stopped (a point's iterates do not depend
             * on the others). */
            double *restrict d0 = d1, *restrict ap = cR, *restrict cc = cgg, *restrict ee = ct;
            double *restrict xe = w2;
            int *restrict open = idx, *restrict nit = r1;
            for (int i = 0; i < m; i++) {
                double Rm1 = R[i] - 1.0;
                ap[i] = a[i] / Rm1;
                cc[i] = R[i] / Rm1;
                ee[i] = g[i] / (g[i] - 1.0);
                d0[i] = 0.0;
                open[i] = 1;
                nit[i] = 0;
            }
            /* full passes while many points are open, then passes over the open ones only */
            int left = m, pass = 0;
            const int maxit = A->d0_max_iter;
            while (left > 0 && pass < maxit && 4 * left > m) {
                pass++;
                left = d0_pass(m, d0, ap, cc, ee, a, open, nit, w1, xe);
            }
            if (left > 0 && pass < maxit) {
                int *restrict qidx = W->qidx, *restrict qopen = W->qopen, *restrict qnit = W->qnit;
                double *restrict qd = W->qd, *restrict qap = W->qap, *restrict qcc = W->qcc,
                       *restrict qee = W->qee, *restrict qal = W->qal;
                int c = 0;
                for (int i = 0; i < m; i++) {
                    qidx[c] = i;
                    c += open[i];
                }
                for (int j = 0; j < c; j++) {
                    int i = qidx[j];
                    qd[j] = d0[i]; qap[j] = ap[i]; qcc[j] = cc[i]; qee[j] = ee[i];
                    qal[j] = a[i]; qnit[j] = nit[i]; qopen[j] = 1;
                }
                int cp = (c + VW - 1) & ~(VW - 1);
                for (int j = c; j < cp; j++) { /* closed lanes with harmless values */
                    qd[j] = 0.0; qap[j] = 1.0; qcc[j] = 1.0; qee[j] = 0.0;
                    qal[j] = 0.5; qnit[j] = 0; qopen[j] = 0;
                }
                while (left > 0 && pass < maxit) {
                    pass++;
                    left = d0_pass(cp, qd, qap, qcc, qee, qal, qopen, qnit, w1, xe);
                }
                for (int j = 0; j < c; j++) {
                    int i = qidx[j];
                    d0[i] = qd[j];
                    nit[i] = qnit[j];
                }
            }
            /* the scaled residual |phi| / (1 + |d alpha/(R-1)| + (1 + R d/(R-1))^e) */
            for (int i = 0; i < m; i++) w1[i] = k_log1p(cc[i] * d0[i]);
            for (int i = 0; i < m; i++) xe[i] = k_exp(ee[i] * w1[i]);
            int mi = st->d0_it, nn = 0;
            double mx = st->d0_res;
            for (int i = 0; i < m; i++) {
                double x = xe[i], da = d0[i] * ap[i];
                double r = fabs(da + a[i] - x) / (1.0 + fabs(da) + fabs(x));
                nn += !(r <= 1.7976931348623157e308);
                mx = r > mx ? r : mx;
                mi = nit[i] > mi ? nit[i] : mi;
            }
            st->d0_it = mi;
            st->d0_nan += nn;
            st->d0_res = mx;
            st->d0_open += left;
            if (O[O_TAU_0]) {
                /* tau_0 = 1 - (1 - delta_0)/(1 - R delta_0)^e */
                for (int i = 0; i < m; i++) w1[i] = k_log1p(-R[i] * d0[i]);
                for (int i = 0; i < m; i++) w2[i] = k_exp(ee[i] * w1[i]);
            }
        }
        /* Stage D: the loss accounting (16)-(18) and the outputs asked for, into the staging
         * block (streamed, or copied to the outputs below) or straight to the outputs. */
        DRAIN(NDRAIN)
        double *so[N_FLOAT_OUT];
        for (int k = 0; k < N_FLOAT_OUT; k++)
            so[k] = sm || fused ? stg[k] : (O[k] ? O[k] + lo : NULL);
        signed char *oR = A->regime ? A->regime + lo : NULL;
#define PUT(k, expr)                                                                           \
    if (O[k]) {                                                                                \
        double *restrict o_ = so[k];                                                           \
        for (int i = 0; i < m; i++) o_[i] = (expr);                                            \
    }
        if (eq) {
            double *restrict lam = w1, *restrict omega = w2; /* free by now */
            if (need_d0 && O[O_TAU_0]) {
                lam = cres; /* w1 and w2 hold tau_0's powers */
                omega = cstep;
            }
            if (fused) {
                /* every output of the equilibrium in one loop (the stores into the staging
                 * block do not alias anything) */
                for (int i = 0; i < m; i++) {
                    double ai = a[i], yi = y[i], Ri = R[i], qH = qHb[i], K = Kb[i];
                    double d = delta[i], pt = p_t[i], s = s_t[i];
                    double om = d * qH + (1.0 - pt) * yi;        /* (17) */
                    double l = nonneg(om - (1.0 - ai) * yi);     /* (16) */
                    double normal = (Ri - 1.0) * K;
                    int absorb = l <= normal;
                    stg[O_DELTA][i] = d;
                    stg[O_P_T][i] = pt;
                    stg[O_P_NEXT][i] = p_next[i];
                    stg[O_S_T][i] = s;
                    stg[O_S_NEXT][i] = (Ri - 1.0) * (qH - s);    /* D_t (30) */
                    stg[O_ASSET][i] = (1.0 - d) * qH;
                    stg[O_LOSSES][i] = l;
                    stg[O_OMEGA][i] = om;
                    stg[O_PI_T][i] = nonneg((1.0 - ai) * yi - om);
                    stg[O_K_T][i] = absorb ? K : Ri * K - l;     /* (18) */
                    stg[O_DIV_T][i] = absorb ? normal - l : 0.0;
                    stg[O_D_T][i] = qH - s;                      /* R D - s_t (30) */
                    stg[O_DEP_LOSS][i] = nonneg(l - Ri * K);
                    lam[i] = l;
                }
            } else {
                for (int i = 0; i < m; i++) {
                    double ai = a[i], yi = y[i];
                    double om = delta[i] * qHb[i] + (1.0 - p_t[i]) * yi; /* (17) */
                    lam[i] = nonneg(om - (1.0 - ai) * yi);       /* (16) */
                    omega[i] = om;
                }
                PUT(O_DELTA, delta[i])
                PUT(O_P_T, p_t[i])
                PUT(O_P_NEXT, p_next[i])
                PUT(O_S_T, s_t[i])
                PUT(O_S_NEXT, (R[i] - 1.0) * (qHb[i] - s_t[i]))
                PUT(O_ASSET, (1.0 - delta[i]) * qHb[i])
                PUT(O_LOSSES, lam[i])
                PUT(O_OMEGA, omega[i])
                PUT(O_PI_T, nonneg((1.0 - a[i]) * y[i] - omega[i]))
                PUT(O_K_T, lam[i] <= (R[i] - 1.0) * Kb[i] ? Kb[i] : R[i] * Kb[i] - lam[i])
                PUT(O_DIV_T, lam[i] <= (R[i] - 1.0) * Kb[i] ? (R[i] - 1.0) * Kb[i] - lam[i] : 0.0)
                PUT(O_D_T, qHb[i] - s_t[i])
                PUT(O_DEP_LOSS, nonneg(lam[i] - R[i] * Kb[i]))
            }
            if (oR)
                for (int i = 0; i < m; i++) {
                    /* 0 firms absorb, 1 dividends, 2 capital, 3 insolvent: (16)-(18) */
                    double K = Kb[i], l = lam[i];
                    oR[i] = (signed char)((l > 0.0) + (l > (R[i] - 1.0) * K) + (l >= R[i] * K));
                }
            int nf = 0, nn = 0;
            double mx = st->max_res;
            for (int i = 0; i < m; i++) {
                double r = res[i];
                nf += !(fabs(delta[i]) <= 1.7976931348623157e308);
                nn += r != r;
                mx = r > mx ? r : mx; /* NaN compares false: counted above instead */
            }
            st->nonfinite += nf;
            st->nan_res += nn;
            st->max_res = mx;
        }
        PUT(O_DELTA_STAR, ds[i])
        PUT(O_TAU_DIV, 1.0 - (1.0 - ds[i] / R[i]) / pbar1[i])
        PUT(O_TAU_STAR, -k_expm1(l1ds[i] / (1.0 - g[i])))
        PUT(O_TAU_K, 1.0 - k_exp(l1ds[i] / (1.0 - g[i])) / R[i])
        PUT(O_DELTA_DIV, ds[i] / R[i])
        PUT(O_DELTA_K, ds[i] / R[i] + (R[i] - 1.0) / R[i])
        PUT(O_DELTA_0, d1[i])
        PUT(O_TAU_0, 1.0 - (1.0 - d1[i]) / w2[i])
#undef PUT
        if (sm) {
            pd.lo = lo;
            pd.m = m;
            pd.done = 0;
            pd.total = pd.nk * UPB;
        } else if (fused) {
            for (int k = 0; k < N_FLOAT_OUT; k++)
                if (O[k]) memcpy(O[k] + lo, stg[k], (size_t)m * sizeof(double));
        }
    }
    if (sm) {
        drain(&pd, stg, O, pd.total);
        store_fence();
    }
#undef DRAIN
    st->bad = nbad;
}

static ALWAYS_INLINE void fn_body(int which, const double *x, double *o, Py_ssize_t n) {
    if (which == 0)
        for (Py_ssize_t i = 0; i < n; i++) o[i] = k_exp(x[i]);
    else if (which == 1)
        for (Py_ssize_t i = 0; i < n; i++) o[i] = k_expm1(x[i]);
    else if (which == 2)
        for (Py_ssize_t i = 0; i < n; i++) o[i] = k_log(x[i]);
    else
        for (Py_ssize_t i = 0; i < n; i++) o[i] = k_log1p(x[i]);
}

/* The kernel for the baseline instruction set, and on x86-64 again for AVX2 with FMA. */
static void run_base(const Args *A, Py_ssize_t n, Stats *st) { run_body(A, n, st); }
static void fn_base(int which, const double *x, double *o, Py_ssize_t n) {
    fn_body(which, x, o, n);
}
#ifdef X86_DISPATCH
__attribute__((target("avx2,fma"))) static void run_fma(const Args *A, Py_ssize_t n,
                                                       Stats *st) {
    run_body(A, n, st);
}
__attribute__((target("avx2,fma"))) static void fn_fma(int which, const double *x, double *o,
                                                      Py_ssize_t n) {
    fn_body(which, x, o, n);
}
static int hardware_fma(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
#else
#define run_fma run_base
#define fn_fma fn_base
static int hardware_fma(void) {
#if defined(__FP_FAST_FMA) || defined(__aarch64__)
    return 1;
#else
    return 0;
#endif
}
#endif
static int have_fma = 0;

static void run(const Args *A, Py_ssize_t n, Stats *st) {
    if (have_fma) run_fma(A, n, st);
    else run_base(A, n, st);
}

static void run_fn(int which, const double *x, double *o, Py_ssize_t n) {
    if (have_fma) fn_fma(which, x, o, n);
    else fn_base(which, x, o, n);
}

static int get_buffer(PyObject *obj, Py_buffer *view, int writable, Py_ssize_t itemsize,
                      Py_ssize_t n, const char *what) {
    int flags = PyBUF_C_CONTIGUOUS | (writable ? PyBUF_WRITABLE : 0);
    if (PyObject_GetBuffer(obj, view, flags) < 0) return -1;
    if (view->itemsize != itemsize || view->len != n * itemsize) {
        PyErr_Format(PyExc_ValueError, "%s: expected %zd contiguous items of %zd bytes", what, n,
                     itemsize);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

static PyObject *py_solve(PyObject *self, PyObject *args) {
    Py_ssize_t n;
    PyObject *ins, *outs, *regime;
    int stream = 0, d0_max_iter = 60;
    if (!PyArg_ParseTuple(args, "nO!O!O|pi", &n, &PyTuple_Type, &ins, &PyTuple_Type, &outs,
                          &regime, &stream, &d0_max_iter))
        return NULL;
    if (PyTuple_GET_SIZE(ins) != 5 || PyTuple_GET_SIZE(outs) != N_FLOAT_OUT) {
        PyErr_Format(PyExc_ValueError, "solve: 5 inputs and %d outputs expected", N_FLOAT_OUT);
        return NULL;
    }
    Args A;
    memset(&A, 0, sizeof A);
    A.stream = stream;
    A.d0_max_iter = d0_max_iter;
    Py_buffer views[5 + N_FLOAT_OUT + 1];
    int held[5 + N_FLOAT_OUT + 1];
    memset(held, 0, sizeof held);
    int ok = 1;
    for (int j = 0; j < 5 && ok; j++) {
        PyObject *o = PyTuple_GET_ITEM(ins, j);
        if (PyFloat_Check(o)) {
            A.scalar[j] = 1;
            A.sval[j] = PyFloat_AS_DOUBLE(o);
        } else if (get_buffer(o, &views[j], 0, 8, n, "input") == 0) {
            held[j] = 1;
            A.in[j] = (const double *)views[j].buf;
        } else {
            ok = 0;
        }
    }
    for (int j = 0; j < N_FLOAT_OUT && ok; j++) {
        PyObject *o = PyTuple_GET_ITEM(outs, j);
        if (o == Py_None) continue;
        if (get_buffer(o, &views[5 + j], 1, 8, n, "output") == 0) {
            held[5 + j] = 1;
            A.out[j] = (double *)views[5 + j].buf;
        } else {
            ok = 0;
        }
    }
    if (ok && regime != Py_None) {
        if (get_buffer(regime, &views[5 + N_FLOAT_OUT], 1, 1, n, "regime") == 0) {
            held[5 + N_FLOAT_OUT] = 1;
            A.regime = (signed char *)views[5 + N_FLOAT_OUT].buf;
        } else {
            ok = 0;
        }
    }
    Stats st;
    memset(&st, 0, sizeof st);
    st.max_it = NIT;
    void *mem = NULL;
    if (ok) {
        mem = PyMem_RawMalloc(sizeof(Work) + 64);
        if (mem == NULL) {
            PyErr_NoMemory();
            ok = 0;
        }
    }
    if (ok) {
        A.work = (Work *)(((uintptr_t)mem + 63) & ~(uintptr_t)63);
        Py_BEGIN_ALLOW_THREADS
        run(&A, n, &st);
        Py_END_ALLOW_THREADS
    }
    PyMem_RawFree(mem);
    for (int j = 0; j < 5 + N_FLOAT_OUT + 1; j++)
        if (held[j]) PyBuffer_Release(&views[j]);
    if (!ok) return NULL;
    return Py_BuildValue("(idLLLLidL)", st.max_it, st.nan_res ? (double)NAN : st.max_res,
                         st.nonfinite, st.slow, st.bad, st.nroot, st.d0_it,
                         st.d0_nan ? (double)NAN : st.d0_res, st.d0_open);
}

static PyObject *py_elementary(PyObject *self, PyObject *args) {
    int which;
    PyObject *x, *o;
    if (!PyArg_ParseTuple(args, "iOO", &which, &x, &o)) return NULL;
    Py_buffer vx, vo;
    if (PyObject_GetBuffer(x, &vx, PyBUF_C_CONTIGUOUS) < 0) return NULL;
    Py_ssize_t n = vx.len / 8;
    if (get_buffer(o, &vo, 1, 8, n, "output") < 0) { PyBuffer_Release(&vx); return NULL; }
    Py_BEGIN_ALLOW_THREADS
    run_fn(which, (const double *)vx.buf, (double *)vo.buf, n);
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&vx);
    PyBuffer_Release(&vo);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"solve", py_solve, METH_VARARGS,
     "solve(n, inputs, outputs, regime, stream=False, d0_max_iter=60) -> (max_iterations, "
     "max_residual, nonfinite, slow, inadmissible, regime1_points, d0_iterations, d0_residual, "
     "d0_not_stopped)"},
    {"elementary", py_elementary, METH_VARARGS,
     "elementary(which, x, out): 0 exp, 1 expm1, 2 log, 3 log1p"},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_ckernel",
                                    "The fused von Peter kernel (see kernel.py).", -1, methods};

PyMODINIT_FUNC PyInit__ckernel(void) {
    PyObject *m = PyModule_Create(&module);
    if (m == NULL) return NULL;
    have_fma = hardware_fma();
    PyModule_AddIntConstant(m, "NIT", NIT);
    PyModule_AddIntConstant(m, "BLOCK", BLK);
    PyModule_AddIntConstant(m, "N_OUTPUTS", N_FLOAT_OUT);
    PyModule_AddIntConstant(m, "HARDWARE_FMA", have_fma);
    return m;
}
