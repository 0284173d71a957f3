"""Reads of surveys: what a person has to answer, how many have answered, and the results,
shown only for groups that meet the survey's threshold and cannot be worked out by subtraction
(``suppression``). Results exist only once the survey is closed.

The results never name a person: they are counted per unit (the evaluation) or per leader and
side (the 360), from ``Response`` rows that hold nothing else."""
