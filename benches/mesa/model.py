"""A straightforward Mesa implementation of carenet's core weekly rules.

Written the way a researcher would write it in Mesa 3: one Agent per person
(residents and outside alters), ties as small objects shared by their two ends,
the week as a sequence of phases run over AgentSets, and a DataCollector for
the weekly totals. It reads the same area as carenet: the social graph carenet
exported (`network.graphml`, persons with capacity, helpfulness, reluctance and
age band; ties with kind, trust, distance and online contact) and the resolved
`scenario.toml` of that run for every parameter.

The rules follow docs/ODD.md §7.10 as closely as is practical; README.md in
this folder lists what differs.
"""

import math
import tomllib

import mesa
import networkx as nx

TASKS = ["household", "personal_care", "transport", "administration", "company", "emergency"]
NEEDS_PRESENCE = {"household", "personal_care", "transport", "emergency"}
# Tie kinds in strength order (carenet's TieKind declaration order).
KINDS = ["partner", "kin", "friend", "peer", "association", "volunteer", "neighbour", "acquaintance"]
WEAK_KINDS = {"neighbour", "acquaintance"}
AGE_BANDS = ["18-34", "35-54", "55-74", "75+"]
EPISODE_KINDS = ["emergency", "short_term", "long_term"]


def logistic(z):
    return 1.0 / (1.0 + math.exp(-z))


class Tie:
    """An undirected tie; `balance` is hours given by `a` minus hours received."""

    __slots__ = ("a", "b", "kind", "trust", "distance_km", "blended", "balance")

    def __init__(self, a, b, kind, trust, distance_km, blended):
        self.a, self.b = a, b
        self.kind = kind
        self.trust = trust
        self.distance_km = distance_km
        self.blended = blended
        self.balance = 0.0

    def other(self, person):
        return self.b if person is self.a else self.a

    def seen_by(self, person):
        """Hours `person` gave on this tie beyond what it received."""
        return self.balance if person is self.a else -self.balance

    def gift(self, helper, hours):
        self.balance += hours if helper is self.a else -hours


class Episode:
    __slots__ = ("kind", "start", "length", "hours")

    def __init__(self, kind, start, length, hours):
        self.kind, self.start, self.length, self.hours = kind, start, length, hours


class Person(mesa.Agent):
    def __init__(self, model, resident, age_band, capacity, helpfulness, reluctance, formal_trust):
        super().__init__(model)
        self.resident = resident
        self.age_band = age_band
        self.capacity = capacity
        self.helpfulness = helpfulness
        self.reluctance = reluctance
        self.formal_trust = formal_trust
        self.ties = []
        self.partner_tie = None
        self.strain = 0.0
        self.burnt_out = 0
        self.available = self.left = self.given = 0.0
        self.episodes = {}
        self.demand = {}
        self.helped_by = {}
        self.walk = []
        self.walk_position = 0

    # --- step 2: needs -----------------------------------------------------
    def update_needs(self):
        model = self.model
        week = model.week
        for kind in [k for k, e in self.episodes.items() if e.start + e.length <= week]:
            del self.episodes[kind]
        needs = model.p["needs"]
        for kind in EPISODE_KINDS:
            rate = needs[f"{kind}_per_year"][self.age_band] / 52.0
            if model.random.random() < 1.0 - math.exp(-rate) and kind not in self.episodes:
                self.episodes[kind] = model.draw_episode(kind, self.age_band, week)

    def in_need(self):
        return "short_term" in self.episodes or "long_term" in self.episodes

    # --- step 3: capacity and demand ---------------------------------------
    def start_week(self):
        self.available = 0.0 if self.burnt_out > 0 else self.capacity
        if self.resident and self.in_need():
            self.available *= self.model.p["behaviour"]["capacity_in_need_share"]
        self.left = self.available
        self.given = 0.0
        self.helped_by = {}
        self.demand = {}
        mixes = self.model.p["needs"]["task_mix"]
        for kind, episode in self.episodes.items():
            for task, share in mixes[kind].items():
                if share > 0:
                    self.demand[task] = self.demand.get(task, 0.0) + episode.hours * share
        self.need_this_week = sum(self.demand.values())

    def open_demand(self):
        return sum(self.demand.values())

    def take(self, task, hours):
        self.demand[task] -= hours
        if self.demand[task] <= 1e-9:
            del self.demand[task]

    # --- step 4: household first -------------------------------------------
    def household_help(self):
        tie = self.partner_tie
        if tie is None or not self.demand:
            return
        partner = tie.other(self)
        if partner.burnt_out > 0:
            return
        b = self.model.p["behaviour"]
        extra = b["partner_extra_hours"] * (b["capacity_in_need_share"] if partner.in_need() else 1.0)
        give = min(self.open_demand(), partner.left + extra)
        if give <= 0:
            return
        remaining = give
        for task in TASKS:
            hours = min(self.demand.get(task, 0.0), remaining)
            if hours > 0:
                self.take(task, hours)
                remaining -= hours
        from_extra = min(give, extra)
        partner.available += extra
        partner.left -= give - from_extra
        partner.given += give
        self.model.tally["household"] += give

    # --- step 6: asking and giving ----------------------------------------
    def prepare_walk(self):
        """The ties in the order of the help-seeking norm, each kind from a random
        offset (carenet: a seeded offset per kind, going round cyclically)."""
        walk = []
        for kind in self.model.norm:
            ties = self.model.ties_by_kind(self, kind)
            if ties:
                start = self.model.random.randrange(len(ties))
                walk.extend(ties[start:] + ties[:start])
        self.walk = walk
        self.walk_position = 0

    def asked_tasks(self, tie, helper):
        p = self.model.p
        ask = p["behaviour"]["ask"]
        scope = p["scope"][tie.kind]
        owed = max(0.0, -tie.seen_by(self))
        withhold_personal = (
            p["behaviour"]["formal_first_for_personal_care"]
            and "long_term" in self.episodes
            and self.formal_trust >= p["behaviour"]["formal_first_trust"]
        )
        asked = []
        for task in TASKS:
            if self.demand.get(task, 0.0) <= 0 or (task == "personal_care" and withhold_personal):
                continue
            z = (
                ask["base"]
                + ask["trust"] * (tie.trust - 0.5)
                + ask["reluctance"] * self.reluctance
                + ask["out_of_scope"] * (1.0 - scope[task])
                + ask["debt"] * owed / 10.0
                + ask["visible_strain"] * helper.strain
            )
            if task == "emergency":
                z += ask["emergency_distance"] * math.log(
                    1.0 + tie.distance_km / p["behaviour"]["give"]["distance_scale_km"]
                )
            if self.model.random.random() < logistic(z):
                asked.append(task)
        return asked

    def ask_once(self):
        """One round: walk on to the next tie worth asking and ask it."""
        if not self.demand:
            return False
        while self.walk_position < len(self.walk):
            tie = self.walk[self.walk_position]
            self.walk_position += 1
            helper = tie.other(self)
            asked = self.asked_tasks(tie, helper)
            if asked:
                helper.answer(self, tie, asked)
                return True
        return False

    def answer(self, asker, tie, tasks):
        model = self.model
        b = model.p["behaviour"]
        give = b["give"]
        scope = model.p["scope"][tie.kind]
        total = 0.0
        model.tally["asked"] += sum(asker.demand.get(t, 0.0) for t in tasks)
        if self.burnt_out == 0:
            for task in tasks:
                if self.left <= 0:
                    break
                weight = 1.0 if task in NEEDS_PRESENCE else (0.0 if tie.blended else give["distance_without_presence"])
                z = (
                    give["base"]
                    + give["helpfulness"] * (self.helpfulness - 0.5)
                    + give["trust"] * (tie.trust - 0.5)
                    + give["strain"] * self.strain
                    + give["out_of_scope"] * (1.0 - scope[task])
                    + give["distance"] * weight * math.log(1.0 + tie.distance_km / give["distance_scale_km"])
                )
                if tie.kind in WEAK_KINDS:
                    unreturned = max(0.0, tie.seen_by(self))
                    ages = [model.week - e.start + 1 for e in asker.episodes.values()]
                    age = max(ages) if ages else 1
                    z += give["unreturned"] * unreturned / 10.0 + give["long_episode"] * age / give["patience_weeks"]
                if model.random.random() < logistic(z):
                    hours = min(asker.demand.get(task, 0.0), self.left)
                    if hours > 0:
                        asker.take(task, hours)
                        self.left -= hours
                        self.given += hours
                        total += hours
        if total > 0:
            tie.trust = min(1.0, tie.trust + b["trust_gain"])
            tie.gift(self, total)
            asker.helped_by[tie] = asker.helped_by.get(tie, 0.0) + total
            model.tally["informal"] += total
        else:
            tie.trust = max(0.0, tie.trust - b["trust_loss"])

    # --- step 10: favours --------------------------------------------------
    def return_favour(self):
        b = self.model.p["behaviour"]
        hours = b["return_favour_hours"]
        if self.burnt_out > 0 or self.left < hours or not self.helped_by:
            return
        if self.model.random.random() < b["return_favour_chance"]:
            tie = max(self.helped_by, key=self.helped_by.get)
            tie.gift(self, hours)
            self.left -= hours
            self.given += hours
            self.model.tally["favours"] += hours

    # --- step 11: strain and burnout ---------------------------------------
    def end_week(self):
        b = self.model.p["behaviour"]
        if self.burnt_out > 0:
            self.burnt_out -= 1
            self.strain = max(0.0, self.strain - b["strain_recovery"])
            return
        if self.available > 0:
            load = self.given / self.available
        else:
            load = 1.0 if self.given > 0 else 0.0
        phi = b["comfortable_share"]
        if load > phi and phi < 1:
            self.strain = min(1.0, self.strain + b["strain_gain"] * (load - phi) / (1 - phi))
        else:
            self.strain = max(0.0, self.strain - b["strain_recovery"])
        if self.strain >= b["burnout_threshold"]:
            self.burnt_out = min(255, b["burnout_weeks"])
            self.model.tally["burnouts"] += 1
        if self.given > 0 or self.burnt_out > 0:
            self.model.carer_strains.append(self.strain)


class CareNetwork(mesa.Model):
    def __init__(self, graph, params, seed=None):
        super().__init__(seed=seed)
        self.p = params
        self.norm = [k for k in params["behaviour"]["help_seeking_norm"] if k != "partner"]
        self.week = 0
        self.persons = {}
        for node, data in graph.nodes(data=True):
            self.persons[node] = Person(
                self,
                resident=bool(data["resident"]),
                age_band=AGE_BANDS.index(data["age_band"]),
                capacity=float(data["capacity_hours"]),
                helpfulness=float(data["helpfulness"]),
                reluctance=float(data["ask_reluctance"]),
                formal_trust=float(data["formal_trust"]),
            )
        self.ties = []
        for u, v, data in graph.edges(data=True):
            a, b = self.persons[u], self.persons[v]
            tie = Tie(a, b, data["kind"], float(data["trust"]), float(data["distance_km"]), bool(data["blended"]))
            self.ties.append(tie)
            a.ties.append(tie)
            b.ties.append(tie)
            if tie.kind == "partner":
                a.partner_tie = tie
                b.partner_tie = tie
        self._by_kind = {}
        self.residents = self.agents.select(lambda person: person.resident)
        self.start_long_term_needs()
        self.datacollector = mesa.DataCollector(
            model_reporters={
                "need": lambda m: m.tally["need"],
                "household": lambda m: m.tally["household"],
                "informal": lambda m: m.tally["informal"],
                "unmet": lambda m: m.tally["unmet"],
                "burnouts": lambda m: m.tally["burnouts"],
                "mean_strain": lambda m: sum(m.carer_strains) / max(1, len(m.carer_strains)),
            }
        )

    def ties_by_kind(self, person, kind):
        key = (person.unique_id, kind)
        if key not in self._by_kind:
            self._by_kind[key] = [t for t in person.ties if t.kind == kind]
        return self._by_kind[key]

    def draw_episode(self, kind, band, week):
        needs = self.p["needs"]
        rnd = self.random.random
        if kind == "emergency":
            r = needs["emergency_hours"]
            return Episode(kind, week, 1, r["min"] + (r["max"] - r["min"]) * rnd())
        if kind == "short_term":
            w, h = needs["short_term_weeks"], needs["short_term_hours"]
            length = max(1, round(w["min"] + (w["max"] - w["min"]) * rnd()))
            return Episode(kind, week, length, h["min"] + (h["max"] - h["min"]) * rnd())
        mean = needs["long_term_mean_weeks"][band]
        length = max(13, round(self.random.expovariate(1.0 / mean)))
        low, high = needs["long_term_hours_min"][band], needs["long_term_hours_max"][band]
        return Episode(kind, week, length, low + (high - low) * rnd())

    def start_long_term_needs(self):
        """Long-term episodes already running, with the stationary probability."""
        needs = self.p["needs"]
        for person in self.residents:
            band = person.age_band
            rate = needs["long_term_per_year"][band] / 52.0
            duration = needs["long_term_mean_weeks"][band]
            if self.random.random() < rate * duration / (1 + rate * duration):
                episode = self.draw_episode("long_term", band, 0)
                episode.length = max(1, round(self.random.expovariate(1.0 / duration)))
                person.episodes["long_term"] = episode

    def step(self):
        self.tally = dict.fromkeys(["need", "household", "informal", "unmet", "burnouts", "asked", "favours"], 0.0)
        self.carer_strains = []
        self.residents.do("update_needs")
        self.agents.do("start_week")
        cases = self.residents.select(lambda person: bool(person.demand))
        self.tally["need"] = sum(person.need_this_week for person in cases)
        cases.do("household_help")
        cases.do("prepare_walk")
        for _ in range(self.p["behaviour"]["ask_rounds"]):
            asked = [person.ask_once() for person in cases.shuffle()]
            if not any(asked):
                break
        self.tally["unmet"] = sum(person.open_demand() for person in cases)
        cases.shuffle_do("return_favour")
        self.agents.do("end_week")
        fade = 1.0 - self.p["behaviour"]["balance_fade"]
        for tie in self.ties:
            tie.balance *= fade
        self.datacollector.collect(self)
        self.week += 1


def load(graphml_path, scenario_path):
    graph = nx.read_graphml(graphml_path)
    with open(scenario_path, "rb") as f:
        params = tomllib.load(f)
    return graph, params
