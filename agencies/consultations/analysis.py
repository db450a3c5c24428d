"""What we heard, counted: answers per option, contributions per kind and theme, and the most
frequent Thai keywords of the open answers and contributions.

Thai is written without spaces between words, so the text is segmented with PyThaiNLP's
dictionary-based ``newmm`` tokenizer; its Thai stop-word list, punctuation, numbers and
one-character pieces are dropped. English words in the text are lower-cased and counted too.
"""

import re
from collections import Counter
from functools import lru_cache

from django.db.models import Count, Q

from portal import caching

from .models import CACHE_AREA, Contribution, Question, Response

KEYWORDS = 20
WORDLIKE = re.compile(r"[\u0E00-\u0E7Fa-z]")
# Words too common in consultations to say anything on their own.
EXTRA_STOP_WORDS = frozenset(
    {"ควร", "ต้องการ", "อยาก", "เห็นด้วย", "ไม่เห็นด้วย", "the", "and", "to", "of", "a", "in"}
)


@lru_cache(maxsize=1)
def _stop_words() -> frozenset:
    from pythainlp.corpus import thai_stopwords

    return frozenset(thai_stopwords()) | EXTRA_STOP_WORDS


def words(text: str) -> list[str]:
    """The words of ``text`` worth counting, in order."""
    from pythainlp.tokenize import word_tokenize

    stop = _stop_words()
    found = []
    for token in word_tokenize(text or "", engine="newmm", keep_whitespace=False):
        token = token.strip().lower()
        if len(token) < 2 or token in stop or not WORDLIKE.search(token):
            continue
        found.append(token)
    return found


def keywords(texts, limit: int = KEYWORDS) -> list[tuple[str, int]]:
    """The ``limit`` most frequent words over ``texts``, counted once per text (how many
    people used the word, not how often one person repeated it); ties by the word."""
    counts = Counter()
    for text in texts:
        counts.update(set(words(text)))
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]


def answer_counts(consultation) -> list[dict]:
    """For each question: the number who answered it and, by kind, the count per option, the
    mean of a scale, or the mean rank of each option (lower is preferred)."""
    questions = list(consultation.questions.all())
    sent = list(
        Response.objects.filter(consultation=consultation, status=Response.Status.SENT).values_list(
            "answers", flat=True
        )
    )
    results = []
    for q in questions:
        key = str(q.pk)
        values = [a[key] for a in sent if key in a]
        row = {"question": q, "answered": len(values), "options": [], "mean": None}
        if q.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
            tally = Counter()
            for v in values:
                tally.update(v if isinstance(v, list) else [v])
            row["options"] = [
                {"text": o, "count": tally[o], "share": _share(tally[o], len(values))}
                for o in q.options
            ]
        elif q.kind == Question.Kind.SCALE:
            tally = Counter(values)
            row["options"] = [
                {"text": str(n), "count": tally[n], "share": _share(tally[n], len(values))}
                for n in range(1, 6)
            ]
            row["mean"] = round(sum(values) / len(values), 2) if values else None
        elif q.kind == Question.Kind.RANKING:
            ranks = {o: [] for o in q.options}
            for v in values:
                for rank, option in enumerate(v, 1):
                    if option in ranks:
                        ranks[option].append(rank)
            row["options"] = sorted(
                (
                    {
                        "text": o,
                        "count": len(r),
                        "mean_rank": round(sum(r) / len(r), 2) if r else None,
                    }
                    for o, r in ranks.items()
                ),
                key=lambda item: (item["mean_rank"] is None, item["mean_rank"] or 0),
            )
        else:
            row["keywords"] = keywords(values, limit=10)
        results.append(row)
    return results


def _share(count: int, total: int) -> int:
    return round(100 * count / total) if total else 0


def theme_counts(consultation) -> list[dict]:
    visible = Q(contributions__status__in=[Contribution.Status.VISIBLE])
    return [
        {"theme": t, "count": t.count}
        for t in consultation.themes.annotate(count=Count("contributions", filter=visible))
    ]


def kind_counts(consultation) -> dict[str, int]:
    rows = (
        consultation.contributions.filter(status=Contribution.Status.VISIBLE)
        .values_list("kind")
        .annotate(n=Count("pk"))
    )
    counts = dict.fromkeys(Contribution.Kind.values, 0)
    counts.update(dict(rows))
    return counts


def open_texts(consultation) -> list[str]:
    """Every open answer and visible contribution: what the keywords are counted over."""
    text_ids = [
        str(pk)
        for pk in consultation.questions.filter(kind=Question.Kind.TEXT).values_list(
            "pk", flat=True
        )
    ]
    texts = []
    for answers in Response.objects.filter(
        consultation=consultation, status=Response.Status.SENT
    ).values_list("answers", flat=True):
        texts.extend(answers[k] for k in text_ids if k in answers)
    texts.extend(
        consultation.contributions.filter(status=Contribution.Status.VISIBLE).values_list(
            "text", flat=True
        )
    )
    return texts


def summary(consultation) -> dict:
    """What the summary page, its PDF and the API show; segmenting the open answers is the
    costly part, so it is computed once per change of the consultation's rows."""
    return caching.memo(CACHE_AREA, ("summary", consultation.pk), lambda: _summary(consultation))


def _summary(consultation) -> dict:
    return {
        "responses": consultation.response_count,
        "contributions": kind_counts(consultation),
        "answers": answer_counts(consultation),
        "themes": theme_counts(consultation),
        "keywords": keywords(open_texts(consultation)),
    }
