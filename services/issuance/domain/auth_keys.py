"""認証キー: 12 characters from a cryptographic source over an unambiguous alphabet.

Left out: 0 O o (zero and oh), 1 l I i (one, ell, eye, i). 55 symbols, 12 draws: about 69 bits.
"""

import secrets
import string

AMBIGUOUS = set("0Oo1lIi")
ALPHABET = "".join(c for c in string.digits + string.ascii_uppercase + string.ascii_lowercase if c not in AMBIGUOUS)
KEY_LENGTH = 12


def new_auth_key() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(KEY_LENGTH))
