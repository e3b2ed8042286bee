"""The password hasher: Argon2id at OWASP's recommended minimum (19 MiB, 2 passes, 1 lane).

Django's default, PBKDF2-SHA256 with 1,000,000 iterations, cost about 0.3–0.5 s of one core per
sign-in here: on opening night, when customers sign in by the hundred to buy, that was over
40 % of the web nodes' CPU (bench/opening_night.py). Argon2id at these settings costs about
25 ms, and being memory-hard it gives a guessing attacker with GPUs less of an edge than
PBKDF2 does. Django's own Argon2 hasher defaults to 100 MiB over 8 lanes (≈0.2 s of CPU and
100 MiB for each sign-in in flight), more than a web worker should hold per request.

Existing PBKDF2 hashes still verify and are re-hashed with this one at the customer's next
sign-in (Django's hasher upgrade); the PBKDF2 hashers stay listed for that.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
