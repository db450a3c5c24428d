"""The shape of the synthetic national data that ``manage.py bench_lists`` writes: account
names, the words names are made of, and how statuses, instruments and tranche shares are
spread. Load data only: never imported by the portal itself."""

from contextlib import contextmanager
from decimal import Decimal

from contracts.agreements.models import Agreement
from contracts.calls.models import Instrument
from csos.models import CSO

BENCH = "bench_"  # every benchmark account's username starts with this
ADMIN, OFFICER = "bench_admin", "bench_officer"
AGENCY_EN = "Benchmark agency"
AGENCIES, CALLS_PER_AGENCY = 20, 50
BATCH = 2000
PER_PAGE = 20

PREFIXES = [
    ("มูลนิธิ", "Foundation"),
    ("สมาคม", "Association"),
    ("กลุ่ม", "Group"),
    ("ชมรม", "Club"),
    ("เครือข่าย", "Network"),
    ("สหกรณ์", "Cooperative"),
    ("วิสาหกิจชุมชน", "Community Enterprise"),
]
WORDS = [
    ("พัฒนา", "Development"),
    ("รักษ์", "Caring"),
    ("สายใย", "Bonds"),
    ("ผู้สูงอายุ", "Elders"),
    ("เด็ก", "Children"),
    ("เยาวชน", "Youth"),
    ("สตรี", "Women"),
    ("คนพิการ", "Disability"),
    ("ชุมชน", "Community"),
    ("ป่า", "Forest"),
    ("น้ำ", "Water"),
    ("ทะเล", "Sea"),
    ("สุขภาพ", "Health"),
    ("การศึกษา", "Education"),
    ("ศิลปะ", "Arts"),
    ("วัฒนธรรม", "Culture"),
    ("เกษตร", "Farming"),
    ("อินทรีย์", "Organic"),
    ("สิ่งแวดล้อม", "Environment"),
    ("แรงงาน", "Labour"),
    ("สิทธิ", "Rights"),
    ("ความเป็นธรรม", "Justice"),
    ("เมือง", "City"),
    ("บ้าน", "Home"),
    ("ครอบครัว", "Family"),
    ("อาสา", "Volunteer"),
    ("กีฬา", "Sport"),
    ("ดนตรี", "Music"),
    ("หัตถกรรม", "Crafts"),
    ("ประมง", "Fisheries"),
    ("พื้นบ้าน", "Folk"),
    ("ภูมิปัญญา", "Wisdom"),
    ("ยั่งยืน", "Sustainable"),
    ("ร่วมใจ", "Together"),
    ("ก้าวหน้า", "Progress"),
    ("เข้มแข็ง", "Strong"),
    ("สร้างสรรค์", "Creative"),
    ("สันติ", "Peace"),
    ("แสงเทียน", "Candlelight"),
    ("ใจดี", "Kindness"),
]
COMMON_WORD = "สุขภาพ"  # in about 5 % of names
RARE_WORDS = "รักษ์ป่า"  # in about 0.06 %

CSO_STATUSES = [  # status, weight
    (CSO.Status.APPROVED, 60),
    (CSO.Status.SUSPENDED, 10),
    (CSO.Status.SUBMITTED, 10),
    (CSO.Status.DRAFT, 10),
    (CSO.Status.CHANGES_REQUESTED, 5),
    (CSO.Status.REJECTED, 5),
]
AGREEMENT_STATUSES = [
    (Agreement.Status.OFFERED, 10),
    (Agreement.Status.ACTIVE, 45),
    (Agreement.Status.COMPLETED, 15),
    (Agreement.Status.SETTLED, 15),
    (Agreement.Status.DECLINED, 5),
    (Agreement.Status.TERMINATED, 10),
]
CALL_INSTRUMENTS = [  # grants are the most common
    Instrument.GRANT,
    Instrument.GRANT,
    Instrument.PERFORMANCE_CONTRACT,
    Instrument.COMMISSIONING,
]
SHARES = {
    Instrument.GRANT: [[100], [50, 50], [40, 30, 30]],
    Instrument.PERFORMANCE_CONTRACT: [[80, 20]],
    Instrument.COMMISSIONING: [[100], [60, 40]],
}
CENT = Decimal("0.01")


@contextmanager
def stamps_as_given(*fields):
    """Let bulk_create keep the past times set on ``fields`` (``auto_now`` or
    ``auto_now_add`` ones) rather than stamp them now."""
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f, _now, _add in saved:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, add in saved:
            f.auto_now, f.auto_now_add = now, add


def _dates_as_given(*models):
    """Keep the ``created_at`` we spread over the past years."""
    return stamps_as_given(*(m._meta.get_field("created_at") for m in models))


def times_as_given(*models):
    """Keep every time we give, ``auto_now`` and ``auto_now_add`` fields alike (a ballot's
    ``cast_at``, a charter's ``updated_at``), not only ``created_at``."""
    return stamps_as_given(
        *(
            f
            for m in models
            for f in m._meta.concrete_fields
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        )
    )


def _pick(rng, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]
