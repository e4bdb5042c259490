"""Password hashing cost (ADR 16).

Django 5.2's Argon2 hasher uses 100 MiB of memory per hash (memory_cost=102400 KiB, time_cost=2,
parallelism=8). One sign-in then costs 100 MiB, so a few dozen sign-ins at once exhaust a small
server. OWASP's Password Storage Cheat Sheet gives Argon2id with 19 MiB, 2 iterations and 1 lane
as its first configuration: still far beyond what GPUs crack cheaply, about a fifth of the
memory. Together with the bound on concurrent hashing (backends.BoundedModelBackend) a flood of
sign-ins costs at most MISPERS_PASSWORD_HASH_CONCURRENCY x 19 MiB per process.

The algorithm name stays "argon2", so hashes made with Django's parameters still verify; Django
rehashes them with these parameters at the next successful sign-in (must_update).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher as DjangoArgon2PasswordHasher


class Argon2PasswordHasher(DjangoArgon2PasswordHasher):
    memory_cost = 19 * 1024  # KiB
    time_cost = 2
    parallelism = 1
