"""The reads of the completion overview of a round (docs/domain.md § Completion overview): how far
each unit has come, rolled up the tree, and the people of a unit, for HR, a leader and the chain.

"HR sees dates and states, never text" (docs/trust.md § HR sees dates and states): every query in
this package names the columns it reads (``values``/``values_list``) and none of them is a content
field.
"""
