import geothai

from .reference import ACTIVITY_FIELDS, BANKS


def load_reference_rows(province_model, activity_field_model) -> tuple[int, int]:
    provinces = geothai.provinces()
    for p in provinces:
        province_model.objects.update_or_create(
            code=str(p.code), defaults={"name_th": p.name_th, "name_en": p.name_en}
        )
    for code, name_th, name_en in ACTIVITY_FIELDS:
        activity_field_model.objects.update_or_create(
            code=code, defaults={"name_th": name_th, "name_en": name_en}
        )
    return len(provinces), len(ACTIVITY_FIELDS)


def load_banks(bank_model) -> int:
    """The Thai banks payments go to (portal.reference.BANKS); re-running updates in place."""
    for code, name_th, name_en, lengths in BANKS:
        bank_model.objects.update_or_create(
            code=code,
            defaults={"name_th": name_th, "name_en": name_en, "account_lengths": list(lengths)},
        )
    return len(BANKS)
