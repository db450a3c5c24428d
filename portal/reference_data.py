import geothai

from .reference import ACTIVITY_FIELDS


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
