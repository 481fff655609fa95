"""`aia verify`: checks every package's data (the audit chain, revisions, stored reports,
states against events). It sits above the packages whose data it reads."""
