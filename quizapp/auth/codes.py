"""Codes people read aloud and type: join codes for classes, resume codes for learners."""

from __future__ import annotations

import hashlib
import secrets

# No 0/O, 1/I/l, or U/V pairs: every character is unambiguous when read aloud or handwritten.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
JOIN_CODE_LENGTH = 8  # 29**8 ≈ 5×10^11, and join attempts are throttled
RESUME_CODE_LENGTH = 12  # 29**12 ≈ 3.5×10^17: a bearer credential


def _random_code(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def _grouped(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def new_join_code() -> str:
    return _grouped(_random_code(JOIN_CODE_LENGTH))


def new_resume_code() -> str:
    return _grouped(_random_code(RESUME_CODE_LENGTH))


def normalise_code(typed: str) -> str:
    """Accept what people type: any case, spaces or dashes, and look-alike characters."""
    cleaned = "".join(ch for ch in typed.upper() if ch.isalnum())
    return _grouped(cleaned)


def hash_resume_code(code: str) -> str:
    """Resume codes are long and random, so a plain SHA-256 is enough to avoid storing them."""
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()
