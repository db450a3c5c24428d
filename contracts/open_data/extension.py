"""The portal's own OCDS extension: the fields its releases carry that the standard does not
define, declared so that the OCDS Data Review Tool (libcoveocds) finds none undeclared. It
is served at /api/v1/open-data/ocds-extension/ (``extension.json`` and the
``release-schema.json`` patch it names) and listed in every package's ``extensions``.

Each field here is one ``contracts.open_data.ocds`` writes: an organisation's legal form and
registration (``parties/details``) and the citizens' report card aggregates of a contract
(``contracts/implementation/citizenReportCard``). Never anything about a person."""

EXTENSION_PATH = "/api/v1/open-data/ocds-extension/"

METADATA = {
    "name": {"en": "Thai co-production portal", "th": "ระบบการร่วมจัดทำบริการสาธารณะ"},
    "description": {
        "en": "The legal form and registration of civil society organisations, and the "
        "aggregated ratings citizens gave the public service a contract delivers.",
        "th": "รูปแบบและสถานะการจดทะเบียนขององค์กรภาคประชาสังคม และคะแนนเฉลี่ยที่ประชาชนให้"
        "บริการสาธารณะตามสัญญา",
    },
    "compatibility": ["1.1"],
    "schemas": ["release-schema.json"],
}

_RATING = {"type": "number", "minimum": 1, "maximum": 5}

RELEASE_SCHEMA = {
    "definitions": {
        "Organization": {
            "properties": {
                "details": {
                    "properties": {
                        "registered": {
                            "title": "Registered juristic person",
                            "description": "Whether the organisation is a juristic person "
                            "registered in Thailand (its identifier is then its 13-digit "
                            "juristic person id), or an informal group.",
                            "type": "boolean",
                        },
                        "orgForm": {
                            "title": "Legal form",
                            "description": "The organisation's form, as the national "
                            "registry of civil society organisations records it (such as "
                            "foundation, association, community enterprise, informal group).",
                            "type": "string",
                        },
                    }
                }
            }
        },
        "Implementation": {
            "properties": {
                "citizenReportCard": {
                    "title": "Citizen report card",
                    "description": "How the people served rated the service delivered under "
                    "the contract: the number of answers and mean ratings, never a comment "
                    "and never who answered.",
                    "type": "object",
                    "properties": {
                        "responses": {
                            "title": "Responses",
                            "description": "How many people answered the survey.",
                            "type": "integer",
                            "minimum": 0,
                        },
                        "scale": {
                            "title": "Scale",
                            "description": "The lowest and highest rating.",
                            "type": "object",
                            "properties": {
                                "min": {"title": "Lowest rating", "type": "integer"},
                                "max": {"title": "Highest rating", "type": "integer"},
                            },
                        },
                        "meanOverall": {
                            "title": "Mean overall rating",
                            "description": "The mean of the overall ratings, 1 to 5.",
                            **_RATING,
                        },
                        "dimensions": {
                            "title": "Ratings by dimension",
                            "description": "The mean rating of each dimension that was rated.",
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "code": {
                                        "title": "Dimension",
                                        "description": "What was rated (such as overall, "
                                        "courtesy, timeliness).",
                                        "type": "string",
                                    },
                                    "mean": {"title": "Mean rating", **_RATING},
                                    "responses": {
                                        "title": "Responses",
                                        "description": "How many rated this dimension.",
                                        "type": "integer",
                                        "minimum": 0,
                                    },
                                },
                            },
                        },
                    },
                }
            }
        },
    }
}


def extension_url(base: str) -> str:
    """The absolute URL of ``extension.json`` on the portal at ``base`` (ending in /)."""
    return base.rstrip("/") + EXTENSION_PATH + "extension.json"
