"""The model contract shared by every part of bsrlab: errors, validation, results, vocabulary.

Nothing here imports any other part of bsrlab.
"""
