"""
The projections: every file bridge writes for people and programs (tracker, results, manifest,
code review, compact log, results.json/csv, the plot) rendered purely from the folded state,
and the one writer that puts them on disk with the output protocol.
"""
