from udfs.functions import *  # noqa: F403  (=PDZ_TOTAL() e le altre funzioni PDZ_)
from udfs.scripts import *  # noqa: F403  (Valida, Alloca, Genera triennale, Pulisci segni, Correggi, Nuovo anno)
