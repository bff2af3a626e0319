"""The Turkish helpers every stage relies on (T2, T11, T12, slugs)."""

from __future__ import annotations

import datetime

from dizgi import turkish


def test_t2_upper_maps_dotted_and_dotless_i() -> None:
    assert turkish.upper("Nisan 2025") == "NİSAN 2025"
    assert turkish.upper("İkinci Karabağ") == "İKİNCİ KARABAĞ"
    assert turkish.upper("Dış Bakış") == "DIŞ BAKIŞ"


def test_t2_lower_never_leaves_a_combining_dot() -> None:
    assert turkish.lower("İSTANBUL IĞDIR") == "istanbul ığdır"
    assert "\u0307" not in turkish.lower("İİİ")


def test_t11_dates_use_turkish_month_names() -> None:
    assert turkish.format_date(datetime.date(2026, 11, 24)) == "24\u00a0Kasım 2026"
    assert turkish.format_month(datetime.date(2025, 4, 1)) == "Nisan 2025"


def test_t12_collation_follows_the_turkish_alphabet() -> None:
    names = ["Şahin", "Sezer", "Çelik", "Cem", "Işık", "İnce", "Öztürk", "Ozan", "Güneş", "Ğ"]
    assert sorted(names, key=turkish.collation_key) == [
        "Cem", "Çelik", "Güneş", "Ğ", "Işık", "İnce", "Ozan", "Öztürk", "Sezer", "Şahin",
    ]  # fmt: skip


def test_slug_folds_turkish_letters_to_ascii() -> None:
    assert turkish.ascii_slug("Dış Bakış") == "dis-bakis"
    assert turkish.ascii_slug("Çağdaş Görüş — Özel Sayı") == "cagdas-gorus-ozel-sayi"
