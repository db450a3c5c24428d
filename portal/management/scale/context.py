"""What each part of the national data set hands on to the next."""

import datetime
import random
from dataclasses import dataclass, field


@dataclass
class Sizes:
    """How much of each thing (``seed_scale`` flags; the defaults are the national scale)."""

    agencies: int = 350
    csos: int = 30_000
    calls: int = 2_000
    proposals: int = 100_000
    agreements: int = 20_000
    citizens: int = 20_000
    responses: int = 200_000  # answers to service-rating surveys
    grievances: int = 50_000
    consultations: int = 500
    contributions: int = 500_000
    budget_rounds: int = 77  # one per province
    ballots: int = 1_000_000

    def scaled(self, factor: float) -> "Sizes":
        """Every size times ``factor`` (at least 1 of each): a quick small run."""
        return Sizes(**{k: max(1, int(v * factor)) for k, v in self.__dict__.items()})


@dataclass
class ScaleContext:
    """The rows written so far (as saved model instances, with primary keys) and the means
    to write more. Later parts read what earlier ones made."""

    rng: random.Random
    now: datetime.datetime
    today: datetime.date
    sizes: Sizes
    log: object  # log(message): progress on stderr
    provinces: list = field(default_factory=list)  # portal.models.Province, all 77
    field_codes: list = field(default_factory=list)  # ActivityField codes
    admin: object = None  # a staff_admin User (created_by of everything)
    agencies: list = field(default_factory=list)  # agencies.models.Agency
    officers: dict = field(default_factory=dict)  # agency pk -> its agency_officer User
    missions: list = field(default_factory=list)  # one per agency
    csos: list = field(default_factory=list)  # csos.models.CSO (all statuses)
    members: dict = field(default_factory=dict)  # CSO pk -> a member User (approved CSOs)
    calls: list = field(default_factory=list)  # contracts Call
    proposals: list = field(default_factory=list)  # contracts Proposal (sent ones)
    agreements: list = field(default_factory=list)  # contracts Agreement
    citizens: list = field(default_factory=list)  # citizen Users
    reviewers: list = field(default_factory=list)  # committee reviewer / evaluator Users
