"""Sample texts several test folders share (tests/ is on the path through its conftest)."""

from __future__ import annotations

#: A French news paragraph: the language check flags it (P128) and entity resolution leaves
#: it out.
FRENCH = (
    "Le ministre de l'Équipement a présenté mardi un programme de construction de dix "
    "barrages d'ici 2030, selon un communiqué publié par ses services. « Nous devons agir "
    "maintenant, car la sécheresse menace les récoltes », a déclaré le ministre devant les "
    "députés. Les agriculteurs de la région, qui ont perdu une grande partie de leurs cultures "
    "l'an dernier, attendent des mesures concrètes."
)
