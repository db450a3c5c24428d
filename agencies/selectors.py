from .models import Agency


def agency_list():
    return Agency.objects.select_related("parent", "province").order_by("name_th")
