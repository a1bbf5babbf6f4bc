"""Value matchers: for one field of one machine state, which targets a leaf value reaches.

Each family of tests has one index per field, shared by every rule that tests the field
there, so a lookup costs about the same whatever the number of rules:
exact values and numeric equality (:mod:`.exact`), prefix and suffix (:mod:`.affixes`),
equals-ignore-case and its prefix/suffix forms (:mod:`.ignore_case`), wildcards
(:mod:`.wildcards`), numeric ranges and cidr blocks (:mod:`.intervals`, :mod:`.cidr`),
anything-but in all its forms (:mod:`.anything_but`); :mod:`.value_index` puts them together.
"""
