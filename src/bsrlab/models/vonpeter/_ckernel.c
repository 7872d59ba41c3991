/*
 * The fused von Peter (2004) kernel in C: every output of the fundamental equilibrium after the
 * shock tau, point by point, in one pass over the inputs.
 *
 * The Python module bsrlab.models.vonpeter.kernel calls ``solve`` on contiguous float64 buffers
 * and falls back to its pure-numpy path when this extension is not built. The equations and the
 * closed forms are those of bsrlab.models.vonpeter.solve and .closed (powers as exponentials of
 * logarithms). The regime-1 root, in v = log(1 - R delta), takes a closed-form Halley step from
 * v = 0 and NIT - 1 more Halley steps at every point of regime 1; the few points whose last
 * step is not below HALLEY_TOL continue with monotone Newton steps to |step| <= STEP_TOL.
 *
 * exp, expm1, log and log1p are written here (Cody-Waite reduction and the polynomials of
 * fdlibm), branch-free, so the compiler vectorises the loops; they are accurate to about one ulp.
 * The file is compiled without floating-point contraction (-ffp-contract=off), so every
 * operation is one correctly rounded IEEE operation and a point's result does not depend on the
 * vector width, the block it falls in or the machine's instruction set.
 *
 * Work goes in blocks of BLK points: array inputs are read in place, scalar ones from a block
 * filled once; each loop holds about one exponential or logarithm (so the processor overlaps
 * many points); the points of regime 1 are packed before the root is found; only the outputs
 * the caller asked for are written, through non-temporal stores when ``stream`` is set. The
 * inadmissible points are counted (the caller names the parameter), and the GIL is released
 * while the kernel runs.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#define BLK 128
#define NIT 3 /* Halley steps: the first in closed form, then NIT - 1 */
#define MAX_IT 60
#define STEP_TOL 1e-14
/* A Halley step this small leaves an error of order its cube: the root is exact in doubles. */
#define HALLEY_TOL 1e-7

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__)) && !defined(__APPLE__)
#define CLONES __attribute__((target_clones("avx2", "default")))
#else
#define CLONES
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
static inline double exp_core(double x, double *scale) {
    double xc = x < -708.0 ? -708.0 : x;
    xc = xc > 709.0 ? 709.0 : xc;
    double kd = xc * (4.0 * INV_LN2) + SHIFT;
    uint64_t ki = asuint(kd);
    kd = kd - SHIFT;
    double r = (xc - kd * QLN2_HI) - kd * QLN2_LO;
    /* e^r - 1 = r + r^2/2 + ... + r^10/10!, Estrin's scheme */
    double r2 = r * r, r4 = r2 * r2;
    double c23 = 1.0 / 6.0 + r * (1.0 / 24.0);
    double c45 = 1.0 / 120.0 + r * (1.0 / 720.0);
    double c67 = 1.0 / 5040.0 + r * (1.0 / 40320.0);
    double c89 = 1.0 / 362880.0 + r * (1.0 / 3628800.0);
    double hi = (c45 + r2 * c67) + r4 * c89;
    double p = r + r2 * (0.5 + r * (c23 + r2 * hi));
    uint64_t j = ki & 3u;
    double t = j == 0 ? 1.0 : j == 1 ? 1.18920711500272106672 : j == 2 ? 1.41421356237309504880
                                                                       : 1.68179283050742908606;
    *scale = t * asdouble(((ki >> 2) + 1023u) << 52);
    return p;
}

static inline double k_exp(double x) {
    double s;
    double p = exp_core(x, &s);
    double y = s + s * p;
    y = x > 709.782712893384 ? INFINITY : y;
    y = x < -708.0 ? 0.0 : y;
    return x != x ? x : y;
}

static inline double k_expm1(double x) {
    double s;
    double p = exp_core(x, &s);
    double y = s * p + (s - 1.0);
    y = x > 709.782712893384 ? INFINITY : y;
    y = x < -708.0 ? -1.0 : y;
    return x != x ? x : y;
}

/* log(x) for x > 0 (fdlibm's polynomial); NaN below 0, -inf at 0, +inf at +inf. */
static inline double k_log(double x) {
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
    double t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
    double t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
    double R = t2 + t1;
    double hfsq = 0.5 * f * f;
    double y = dk * LN2_HI - ((hfsq - (s * (hfsq + R) + dk * LN2_LO)) - f);
    y = x == 0.0 ? -INFINITY : y;
    y = x < 0.0 ? NAN : y;
    y = x > 1.7976931348623157e308 ? INFINITY : y;
    return x != x ? x : y;
}

static inline double k_log1p(double x) {
    double u = 1.0 + x;
    double c = x - (u - 1.0); /* the rounding error of 1 + x */
    double y = k_log(u) + c / u;
    y = u == 1.0 ? x : y;
    y = x == -1.0 ? -INFINITY : y;
    return y;
}

/* Requested outputs, in this order. */
enum {
    O_DELTA, O_P_T, O_P_NEXT, O_S_T, O_S_NEXT, O_ASSET, O_LOSSES, O_OMEGA, O_PI_T, O_K_T,
    O_DIV_T, O_D_T, O_DEP_LOSS, O_DELTA_STAR, O_TAU_DIV, O_TAU_STAR, O_TAU_K, N_FLOAT_OUT
};

typedef struct {
    double max_res;
    long long nonfinite;
    long long slow;
    long long nan_res;
    long long bad;
    int max_it;
} Stats;

typedef struct {
    const double *in[5]; /* a, R, g, y, tau */
    int scalar[5];
    double sval[5];
    double *out[N_FLOAT_OUT];
    signed char *regime;
    int stream;
} Args;

static inline double nonneg(double d) { return d < 0.0 ? 0.0 : d; } /* max(d, 0); NaN stays */

/* Copy a block of results to the output; with stream set, by non-temporal stores where the
 * destination is aligned (a large output is not read back soon, so it need not pass through
 * the cache). */
#if defined(__SSE2__)
#include <emmintrin.h>
static inline void put(double *dst, const double *src, int m, int stream) {
    if (stream && ((uintptr_t)dst & 15) == 0) {
        int i = 0;
        for (; i + 1 < m; i += 2) _mm_stream_pd(dst + i, _mm_loadu_pd(src + i));
        for (; i < m; i++) dst[i] = src[i];
    } else {
        memcpy(dst, src, (size_t)m * sizeof(double));
    }
}
static inline void store_fence(void) { _mm_sfence(); }
#else
static inline void put(double *dst, const double *src, int m, int stream) {
    (void)stream;
    memcpy(dst, src, (size_t)m * sizeof(double));
}
static inline void store_fence(void) {}
#endif

/* One Newton step for F(v) = log(R - 1 + e^v) + g v - log(R (1 - tau)) = 0. */
#define NEWTON_STEP                                                                            \
    {                                                                                          \
        double w_ = k_exp(vi);                                                                 \
        double den_ = Rm1 + w_;                                                                \
        sp = (k_log(den_) + gg * vi - target) / (w_ / den_ + gg);                              \
        vi = vi - sp;                                                                          \
    }

CLONES
static void run(const Args *A, Py_ssize_t n, Stats *st) {
    /* A scalar input is broadcast once into its block array; an array input is read in place. */
    double sbuf[5][BLK];
    for (int j = 0; j < 5; j++)
        if (A->scalar[j])
            for (int i = 0; i < BLK; i++) sbuf[j][i] = A->sval[j];
    double ds[BLK], l1ds[BLK], pbar1[BLK], pbar0[BLK], r1[BLK];
    double cR[BLK], cg[BLK], ct[BLK], cv[BLK], cstep[BLK], ctarget[BLK], w1[BLK], w2[BLK];
    double d1[BLK], pn1[BLK], pt1[BLK], cres[BLK], res[BLK];
    double tmp[BLK], qHb[BLK], Kb[BLK], delta[BLK], p_t[BLK], p_next[BLK], s_t[BLK], lam[BLK], omega[BLK];
    int idx[BLK];
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
        for (int i = 0; i < m; i++) w2[i] = k_expm1((1.0 - g[i]) * w1[i]); /* (R/a)^(1-g) - 1 */
        for (int i = 0; i < m; i++) {
            ds[i] = (R[i] - 1.0) * w2[i];                       /* delta* (28) */
            l1ds[i] = k_log1p(-ds[i]);
        }
        for (int i = 0; i < m; i++) {
            double gi = g[i], Ri = R[i];
            double pb1 = k_exp(gi / (gi - 1.0) * l1ds[i]);     /* (1 - delta*)^e (31) */
            pbar1[i] = pb1;
            pbar0[i] = (1.0 + w2[i]) * (a[i] / Ri);             /* (R/alpha)^(-gamma) (24) */
            double tdiv = 1.0 - (1.0 - ds[i] / Ri) / pb1;       /* tau_Div (33) */
            r1[i] = tau[i] < tdiv ? 1.0 : 0.0;
            double ai = a[i], yi = y[i], ti = tau[i];
            /* the admissible box, counted without branches (so the loop vectorises) */
            int ok = (Ri > 1.0) & (ai > Ri - 1.0) & (ai < 1.0) & (gi >= 0.0) & (gi < 1.0) &
                     (yi > 0.0) & (yi <= 1.7976931348623157e308) & (ti >= 0.0) & (ti <= 1.0);
            bad += 1 - ok;
        }
        nbad += bad;
        /* The points of regime 1, packed. */
        int c = 0;
        for (int i = 0; i < m; i++) {
            if (r1[i] != 0.0) {
                idx[c] = i; cR[c] = R[i]; cg[c] = g[i]; ct[c] = tau[i]; c++;
            }
        }
        /* Stage N: NIT Halley steps from the closed-form first Newton step, then back from v. */
        for (int j = 0; j < c; j++) w1[j] = k_log1p(-ct[j]);
        for (int j = 0; j < c; j++) {
            /* the first Halley step from v = 0 is in closed form: there e^v = 1, R - 1 + e^v = R,
             * F = -log(1 - tau), F' = 1/R + g/(1-g), F'' = (R - 1)/R^2 */
            double Ri = cR[j], gg = cg[j] / (1.0 - cg[j]);
            double F = -w1[j], F1 = 1.0 / Ri + gg, F2 = (Ri - 1.0) / (Ri * Ri);
            ctarget[j] = k_log(Ri) + w1[j];
            cv[j] = -(2.0 * F * F1) / (2.0 * F1 * F1 - F * F2);
        }
        for (int k = 1; k < NIT; k++) {
            for (int j = 0; j < c; j++) w2[j] = k_exp(cv[j]);
            for (int j = 0; j < c; j++) {
                double Rm1 = cR[j] - 1.0, gg = cg[j] / (1.0 - cg[j]), vi = cv[j], w = w2[j];
                double den = Rm1 + w;
                double F = k_log(den) + gg * vi - ctarget[j];
                double F1 = w / den + gg;
                double F2 = w * Rm1 / (den * den);
                double sp = (2.0 * F * F1) / (2.0 * F1 * F1 - F * F2);
                cv[j] = vi - sp;
                cstep[j] = sp;
            }
        }
        /* Stage B: the few points that need more steps (Newton's, monotone from the right). */
        for (int j = 0; j < c; j++) {
            if (!(fabs(cstep[j]) <= HALLEY_TOL)) {
                double Ri = cR[j], gi = cg[j], Rm1 = Ri - 1.0, gg = gi / (1.0 - gi);
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
        for (int j = 0; j < c; j++) d1[j] = -k_expm1(cv[j]) / cR[j] + 0.0; /* -0 -> +0 */
        for (int j = 0; j < c; j++) {
            double gg = cg[j] / (1.0 - cg[j]);
            double pn = k_exp(-gg * cv[j]);
            pn1[j] = pn;
            double r = fabs(d1[j] - 1.0 + (1.0 - ct[j]) * pn);
            cres[j] = cstep[j] != cstep[j] ? NAN : r;
        }
        for (int j = 0; j < c; j++) w1[j] = k_log1p(cR[j] * d1[j] / (cR[j] - 1.0));
        for (int j = 0; j < c; j++) pt1[j] = k_exp(cg[j] / (cg[j] - 1.0) * w1[j]); /* (23) */
        /* Stage C: the regime's prices, then the loss accounting (16)-(18). */
        for (int i = 0; i < m; i++) {
            double ti = tau[i];
            delta[i] = 1.0 - (1.0 - ti) * pbar1[i];             /* (22), regime 2 */
            p_t[i] = pbar0[i];
            p_next[i] = pbar1[i];
            s_t[i] = pbar0[i] * y[i];
            res[i] = 0.0;
        }
        for (int j = 0; j < c; j++) {
            int i = idx[j];
            delta[i] = d1[j];
            p_t[i] = pt1[j];
            p_next[i] = pn1[j];
            s_t[i] = a[i] * y[i] / R[i] + d1[j] * (a[i] * y[i] / (R[i] - 1.0));
            res[i] = cres[j];
        }
        for (int i = 0; i < m; i++) {
            double ai = a[i], yi = y[i];
            double qH = ai * yi / (R[i] - 1.0);                 /* (11) */
            qHb[i] = qH;
            Kb[i] = ai * yi / R[i];                             /* K = s */
            double om = delta[i] * qH + (1.0 - p_t[i]) * yi;    /* (17) */
            double l = om - (1.0 - ai) * yi;
            lam[i] = l < 0.0 ? 0.0 : l;                         /* (16) */
            omega[i] = om;
        }
        {
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
        /* Stage D: only the outputs asked for. */
        double *const *O = A->out;
        int sm = A->stream;
#define PUT(k, expr)                                                                           \
    if (O[k] && !sm) {                                                                         \
        double *restrict o_ = O[k] + lo;                                                       \
        for (int i = 0; i < m; i++) o_[i] = (expr);                                            \
    } else if (O[k]) {                                                                         \
        for (int i = 0; i < m; i++) tmp[i] = (expr);                                           \
        put(O[k] + lo, tmp, m, sm);                                                            \
    }
        PUT(O_DELTA, delta[i])
        PUT(O_P_T, p_t[i])
        PUT(O_P_NEXT, p_next[i])
        PUT(O_S_T, s_t[i])
        PUT(O_S_NEXT, (R[i] - 1.0) * (qHb[i] - s_t[i]))         /* D_t (30) */
        PUT(O_ASSET, (1.0 - delta[i]) * qHb[i])
        PUT(O_LOSSES, lam[i])
        PUT(O_OMEGA, omega[i])
        PUT(O_PI_T, nonneg((1.0 - a[i]) * y[i] - omega[i]))
        PUT(O_K_T, lam[i] <= (R[i] - 1.0) * Kb[i] ? Kb[i] : R[i] * Kb[i] - lam[i])  /* (18) */
        PUT(O_DIV_T, lam[i] <= (R[i] - 1.0) * Kb[i] ? (R[i] - 1.0) * Kb[i] - lam[i] : 0.0)
        PUT(O_D_T, qHb[i] - s_t[i])                            /* R D - s_t (30) */
        PUT(O_DEP_LOSS, nonneg(lam[i] - R[i] * Kb[i]))
        PUT(O_DELTA_STAR, ds[i])
        PUT(O_TAU_DIV, 1.0 - (1.0 - ds[i] / R[i]) / pbar1[i])
        PUT(O_TAU_STAR, -k_expm1(l1ds[i] / (1.0 - g[i])))
        PUT(O_TAU_K, 1.0 - k_exp(l1ds[i] / (1.0 - g[i])) / R[i])
#undef PUT
        if (A->regime) {
            signed char *oR = A->regime + lo;
            for (int i = 0; i < m; i++) {
                /* 0 firms absorb, 1 dividends, 2 capital, 3 insolvent: (16)-(18) */
                double K = Kb[i], l = lam[i];
                oR[i] = (signed char)((l > 0.0) + (l > (R[i] - 1.0) * K) + (l >= R[i] * K));
            }
        }
    }
    if (A->stream) store_fence();
    st->bad = nbad;
}

/* elementary functions, exposed for the tests */
CLONES static void run_exp(const double *x, double *o, Py_ssize_t n) {
    for (Py_ssize_t i = 0; i < n; i++) o[i] = k_exp(x[i]);
}
CLONES static void run_expm1(const double *x, double *o, Py_ssize_t n) {
    for (Py_ssize_t i = 0; i < n; i++) o[i] = k_expm1(x[i]);
}
CLONES static void run_log(const double *x, double *o, Py_ssize_t n) {
    for (Py_ssize_t i = 0; i < n; i++) o[i] = k_log(x[i]);
}
CLONES static void run_log1p(const double *x, double *o, Py_ssize_t n) {
    for (Py_ssize_t i = 0; i < n; i++) o[i] = k_log1p(x[i]);
}
static void run_fn(int which, const double *x, double *o, Py_ssize_t n) {
    if (which == 0) run_exp(x, o, n);
    else if (which == 1) run_expm1(x, o, n);
    else if (which == 2) run_log(x, o, n);
    else run_log1p(x, o, n);
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
    int stream = 0;
    if (!PyArg_ParseTuple(args, "nO!O!O|p", &n, &PyTuple_Type, &ins, &PyTuple_Type, &outs, &regime,
                          &stream))
        return NULL;
    if (PyTuple_GET_SIZE(ins) != 5 || PyTuple_GET_SIZE(outs) != N_FLOAT_OUT) {
        PyErr_SetString(PyExc_ValueError, "solve: 5 inputs and 17 outputs expected");
        return NULL;
    }
    Args A;
    memset(&A, 0, sizeof A);
    A.stream = stream;
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
    Stats st = {0.0, 0, 0, 0, 0, NIT};
    if (ok) {
        Py_BEGIN_ALLOW_THREADS
        run(&A, n, &st);
        Py_END_ALLOW_THREADS
    }
    for (int j = 0; j < 5 + N_FLOAT_OUT + 1; j++)
        if (held[j]) PyBuffer_Release(&views[j]);
    if (!ok) return NULL;
    return Py_BuildValue("(idLLL)", st.max_it, st.nan_res ? (double)NAN : st.max_res,
                         st.nonfinite, st.slow, st.bad);
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
     "solve(n, inputs, outputs, regime, stream=False) -> (max_iterations, max_residual, nonfinite, slow, "
     "inadmissible)"},
    {"elementary", py_elementary, METH_VARARGS,
     "elementary(which, x, out): 0 exp, 1 expm1, 2 log, 3 log1p"},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_ckernel",
                                    "The fused von Peter kernel (see kernel.py).", -1, methods};

PyMODINIT_FUNC PyInit__ckernel(void) {
    PyObject *m = PyModule_Create(&module);
    if (m == NULL) return NULL;
    PyModule_AddIntConstant(m, "NIT", NIT);
    PyModule_AddIntConstant(m, "BLOCK", BLK);
    return m;
}
