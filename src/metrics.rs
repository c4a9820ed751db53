//! The metric table: every measured column of `summary.csv` once, with its
//! labels in English and Dutch, its unit, how it is shown to people, whether it
//! is a total that grows with the area (per capita only after dividing by
//! residents and weeks) and which way is better.
//!
//! `summary.csv`'s header is [`IDENTIFIERS`] then [`METRICS`] in this order
//! (`output::summary_row` writes its values in it); `compare` treats every
//! column of the table as a metric; `carenet report`, the teaching page
//! (`serve` and the exported page, through the `metrics.js` asset) and
//! `carenet bench --consistency` take labels, formats, units and directions from
//! here. Each front end still chooses which metrics it shows, by column name;
//! tests check that every chosen name is in the table.

/// Columns of `summary.csv` that name a run rather than measure it, first in
/// its header.
pub const IDENTIFIERS: [&str; 4] = ["scenario", "seed", "weeks", "residents"];

/// Columns that callers put in front of a summary row to name it among others
/// (`run --replicates`, `compare`).
pub const ROW_NAMES: [&str; 2] = ["variant", "replicate"];

/// What a metric's number counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Hours over the reported weeks.
    Hours,
    /// Hours a week.
    HoursAWeek,
    /// A share between 0 and 1.
    Share,
    /// Strain or another index from 0 to 1.
    Index,
    /// Times something happened to a person, who may count more than once
    /// (burnouts: a carer who recovers can burn out again; QA 35: the report
    /// said "burnouts, persons" of 358 burnouts by 192 carers).
    Times,
    /// Events (intakes, matches, new ties).
    Events,
    /// Weeks.
    Weeks,
    /// Residents (a mean over weeks).
    Residents,
    /// Euros.
    Euro,
}

impl Unit {
    /// The unit of a difference between two values, as a chart's axis names it
    /// ("" where the label says it).
    pub fn of_difference(self) -> &'static str {
        match self {
            Unit::Share => "percentage points",
            Unit::Hours => "hours in the reported weeks",
            Unit::HoursAWeek => "hours a week",
            Unit::Index => "strain (0–1)",
            Unit::Times => "times",
            Unit::Weeks => "weeks",
            Unit::Residents => "residents",
            Unit::Euro => "euros",
            Unit::Events => "",
        }
    }
}

/// How a metric's value is shown to people.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Hours: whole hours with thousands separators.
    Hours,
    /// A share, as a percentage with one decimal.
    Share,
    /// Strain 0–1, two decimals.
    Strain,
    /// A count: whole number.
    Count,
    /// A mean with one decimal (weeks, residents on a list).
    Decimal,
    /// Euros: whole euros with thousands separators.
    Euro,
}

impl Format {
    /// The name the teaching page's script knows the format by.
    pub fn name(self) -> &'static str {
        match self {
            Format::Hours => "hours",
            Format::Share => "share",
            Format::Strain => "strain",
            Format::Count => "count",
            Format::Decimal => "decimal",
            Format::Euro => "euro",
        }
    }
}

/// Which way a change of the metric is an improvement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    Lower,
    Higher,
    /// Neither way: a description (where help comes from), not a judgement.
    Neither,
}

impl Better {
    /// −1 (lower is better), 1 (higher) or 0, as the page's script compares.
    pub fn sign(self) -> i8 {
        match self {
            Better::Lower => -1,
            Better::Higher => 1,
            Better::Neither => 0,
        }
    }
}

/// One measured column of `summary.csv`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Metric {
    pub column: &'static str,
    /// For people, in English; a unit after a comma (", hours") where the
    /// number needs one.
    pub label: &'static str,
    /// The same in Dutch.
    pub label_nl: &'static str,
    pub unit: Unit,
    pub format: Format,
    /// A total over the area and the weeks: it grows with both, so areas are
    /// compared per resident and week (shares and means are not).
    pub per_capita: bool,
    pub better: Better,
}

impl Unit {
    /// The values a metric of this unit can take: every one is 0 or more
    /// (hours, times, events, weeks, euros), and shares and indices are at
    /// most 1.
    pub fn bounds(self) -> (f64, f64) {
        match self {
            Unit::Share | Unit::Index => (0.0, 1.0),
            _ => (0.0, f64::INFINITY),
        }
    }
}

impl Metric {
    /// The label without its unit: "need" of "need, hours".
    pub fn short_label(&self) -> &'static str {
        self.label.split(',').next().unwrap_or(self.label)
    }

    /// A 95% interval of the metric's mean as shown to people: within the
    /// values the metric can take ([`Unit::bounds`]), and whether it was
    /// clipped. With few replicates the Student-t interval can reach beyond
    /// them (a waiting list of −11.5 residents); summary_aggregate.csv and
    /// comparison.csv keep it as computed (docs/ODD.md §9), and whatever shows
    /// a clipped interval says so ([`CLIPPED_INTERVALS`]).
    pub fn shown_interval(&self, (low, high): (f64, f64)) -> ((f64, f64), bool) {
        let (least, most) = self.unit.bounds();
        let shown = (low.clamp(least, most), high.clamp(least, most));
        (shown, shown != (low, high))
    }
}

/// The note beside intervals clipped by [`Metric::shown_interval`].
pub const CLIPPED_INTERVALS: &str = "Intervals are shown within the values a metric can take \
     (0 or more; at most 1 for shares and strains): with few replicates the Student-t interval \
     can reach beyond them, as a negative count would. The CSV files keep the intervals as computed.";

/// [`CLIPPED_INTERVALS`] in Dutch.
pub const CLIPPED_INTERVALS_NL: &str = "Intervallen staan binnen de waarden die een uitkomst \
     kan aannemen (0 of meer; hooguit 1 voor aandelen en belasting): met weinig replicaties \
     kan het Student-t-interval daarbuiten komen, zoals een negatief aantal. De CSV-bestanden \
     bewaren de intervallen zoals berekend.";

/// Digits with a comma before every three from the right ("1234567" as
/// "1,234,567"), as the terminal, reports and comparison.md show totals.
pub fn grouped(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The metric of a column, if it is one.
pub fn find(column: &str) -> Option<&'static Metric> {
    METRICS.iter().find(|m| m.column == column)
}

/// The columns of `summary.csv`, in order.
pub fn summary_columns() -> impl Iterator<Item = &'static str> {
    IDENTIFIERS
        .iter()
        .copied()
        .chain(METRICS.iter().map(|m| m.column))
}

/// A table row: `total` marks a per-capita total, the last word is the better
/// direction.
macro_rules! metrics {
    ($($column:literal, $en:literal, $nl:literal, $unit:ident, $format:ident, $total:ident, $better:ident;)*) => {
        /// Every measured column of `summary.csv`, in its order.
        pub const METRICS: &[Metric] = &[$(Metric {
            column: $column,
            label: $en,
            label_nl: $nl,
            unit: Unit::$unit,
            format: Format::$format,
            per_capita: metrics!(@total $total),
            better: Better::$better,
        },)*];
    };
    (@total total) => { true };
    (@total mean) => { false };
}

// A data table: one metric a line.
#[rustfmt::skip]
metrics! {
    "need_hours", "need, hours", "zorgvraag, uren", Hours, Hours, total, Neither;
    "household_hours", "household help (partners), hours", "hulp binnen het huishouden (partners), uren", Hours, Hours, total, Neither;
    "usual_help_hours", "usual help between partners: their ordinary share of the housework (part of household help), hours", "gebruikelijke hulp tussen partners: hun gewone deel van het huishouden (deel van de hulp binnen het huishouden), uren", Hours, Hours, total, Neither;
    "informal_hours", "informal help, hours", "informele hulp, uren", Hours, Hours, total, Neither;
    "formal_hours", "formal care, hours", "formele zorg, uren", Hours, Hours, total, Neither;
    "respite_hours", "respite care for burdened partners (part of formal care), hours", "respijtzorg voor zwaarbelaste partners (deel van de formele zorg), uren", Hours, Hours, total, Neither;
    "long_term_care_hours", "long-term care under the Wlz for needs of care around the clock, at home and in short stays (part of formal care), hours", "Wlz-zorg bij zorg in de nabijheid rond de klok, thuis en bij logeren (deel van de formele zorg), uren", Hours, Hours, total, Neither;
    "unmet_hours", "unmet need, hours", "onvervulde zorgvraag, uren", Hours, Hours, total, Lower;
    "unmet_share", "share of need left unmet", "deel van de zorgvraag dat onvervuld bleef", Share, Share, mean, Lower;
    "within_neighbourhood_share", "informal help from the own neighbourhood", "informele hulp uit de eigen buurt", Share, Share, mean, Neither;
    "cross_neighbourhood_share", "informal help from other neighbourhoods", "informele hulp uit andere buurten", Share, Share, mean, Neither;
    "outside_share", "informal help from outside the area", "informele hulp van buiten het gebied", Share, Share, mean, Neither;
    "kin_hours", "informal help from family, hours", "informele hulp van familie, uren", Hours, Hours, total, Neither;
    "friend_hours", "informal help from friends, hours", "informele hulp van vrienden, uren", Hours, Hours, total, Neither;
    "peer_hours", "informal help from fellow sufferers, hours", "informele hulp van lotgenoten, uren", Hours, Hours, total, Neither;
    "association_hours", "informal help from association members, hours", "informele hulp van verenigingsleden, uren", Hours, Hours, total, Neither;
    "volunteer_hours", "informal help from volunteer matches, hours", "informele hulp van vrijwilligers (hulpbeurs), uren", Hours, Hours, total, Neither;
    "neighbour_hours", "informal help from neighbours, hours", "informele hulp van buren, uren", Hours, Hours, total, Neither;
    "acquaintance_hours", "informal help from acquaintances, hours", "informele hulp van kennissen, uren", Hours, Hours, total, Neither;
    "residents_with_unmet_need_share", "resident-weeks in need with unmet need", "weken van bewoners met zorgvraag waarin een deel onvervuld bleef", Share, Share, mean, Lower;
    "mean_strain", "carers' mean strain (0–1)", "gemiddelde belasting van mantelzorgers (0–1)", Index, Strain, mean, Lower;
    "p90_strain", "carers' 90th-percentile strain (0–1)", "belasting van mantelzorgers, 90e percentiel (0–1)", Index, Strain, mean, Lower;
    "burnouts", "times carers burnt out", "keren dat mantelzorgers opbrandden", Times, Count, total, Lower;
    "intakes", "formal intakes", "intakes formele zorg", Events, Count, total, Neither;
    "intake_network_involved_share", "intakes with the network already involved", "intakes waarbij het netwerk al hielp", Share, Share, mean, Neither;
    "intake_network_burdened_share", "intakes where the network was already burdened", "intakes waarbij het netwerk al belast was", Share, Share, mean, Lower;
    "mean_wait_weeks", "mean wait for formal care, weeks", "gemiddelde wachttijd formele zorg, weken", Weeks, Decimal, mean, Lower;
    "mean_waiting_list", "mean waiting list, residents", "gemiddelde wachtlijst, bewoners", Residents, Decimal, total, Lower;
    "left_waiting_list", "residents who left the waiting list unserved (need ended, died or moved)", "bewoners die de wachtlijst verlieten zonder zorg (zorgvraag voorbij, overleden of verhuisd)", Events, Count, total, Lower;
    "isolated_residents_unmet_share", "share of isolated residents' need left unmet", "deel van de zorgvraag van geïsoleerde bewoners dat onvervuld bleef", Share, Share, mean, Lower;
    "unmet_on_isolated_share", "share of unmet hours carried by isolated residents", "deel van de onvervulde uren bij geïsoleerde bewoners", Share, Share, mean, Neither;
    "weak_network_unmet_share", "share of the weakest networks' need left unmet", "deel van de zorgvraag van bewoners met de zwakste netwerken dat onvervuld bleef", Share, Share, mean, Lower;
    "other_unmet_share", "share of the other residents' need left unmet", "deel van de zorgvraag van de overige bewoners dat onvervuld bleef", Share, Share, mean, Lower;
    "unmet_on_weak_networks_share", "share of unmet hours carried by the weakest networks", "deel van de onvervulde uren bij de zwakste netwerken", Share, Share, mean, Neither;
    "informal_hours_to_reluctant", "informal help to reluctant askers, hours", "informele hulp aan wie niet graag vraagt, uren", Hours, Hours, total, Neither;
    "mean_weeks_before_intake", "weeks of unmet need before intake", "weken onvervulde zorgvraag voor de intake", Weeks, Decimal, mean, Lower;
    "asked_hours", "help asked for, hours", "gevraagde hulp, uren", Hours, Hours, total, Neither;
    "favour_hours", "favours returned, hours", "wederdiensten, uren", Hours, Hours, total, Neither;
    "outbound_hours", "residents' help to parents and parents-in-law outside the area, hours", "hulp van bewoners aan (schoon)ouders buiten het gebied, uren", Hours, Hours, total, Neither;
    "outbound_hours_under_1km", "help to parents outside the area under 1 km away, hours", "hulp aan ouders buiten het gebied, minder dan 1 km weg, uren", Hours, Hours, total, Neither;
    "outbound_hours_1_to_5km", "help to parents outside the area 1 to 5 km away, hours", "hulp aan ouders buiten het gebied, 1 tot 5 km weg, uren", Hours, Hours, total, Neither;
    "outbound_hours_5_to_20km", "help to parents outside the area 5 to 20 km away, hours", "hulp aan ouders buiten het gebied, 5 tot 20 km weg, uren", Hours, Hours, total, Neither;
    "outbound_hours_20_to_50km", "help to parents outside the area 20 to 50 km away, hours", "hulp aan ouders buiten het gebied, 20 tot 50 km weg, uren", Hours, Hours, total, Neither;
    "outbound_hours_50km_plus", "help to parents outside the area 50 km or more away, hours", "hulp aan ouders buiten het gebied, 50 km of verder weg, uren", Hours, Hours, total, Neither;
    "outbound_nursing_home_hours", "residents' help to parents and parents-in-law in a nursing home, hours", "hulp van bewoners aan (schoon)ouders in een verpleeghuis, uren", Hours, Hours, total, Neither;
    "outside_parent_need_hours", "need of parents outside the area (in a nursing home: the family's part), hours", "zorgvraag van ouders buiten het gebied (in een verpleeghuis: het deel van de familie), uren", Hours, Hours, total, Neither;
    "exchange_matches", "help exchange matches", "koppelingen door de hulpbeurs", Events, Count, total, Neither;
    "new_peer_ties", "new ties between fellow sufferers", "nieuwe banden tussen lotgenoten", Events, Count, total, Neither;
    "mean_abs_balance", "mean imbalance of give and take on a tie, hours", "gemiddelde onbalans van geven en nemen per band, uren", Hours, Decimal, mean, Neither;
    "carers_broad_share", "residents who gave care (broad sense)", "bewoners die zorg gaven (ruim begrip)", Share, Share, mean, Neither;
    "carers_cbs_share", "residents who gave care (CBS sense)", "bewoners die mantelzorg gaven (begrip van het CBS)", Share, Share, mean, Neither;
    "cbs_carer_mean_hours", "care per carer (CBS sense), hours a week", "zorg per mantelzorger (begrip van het CBS), uren per week", HoursAWeek, Decimal, mean, Neither;
    "intensive_share_of_cbs_carers", "carers (CBS sense) giving intensive care", "mantelzorgers (CBS) die intensief zorgen", Share, Share, mean, Neither;
    "heavily_burdened_share_of_cbs_carers", "carers (CBS sense) heavily burdened", "mantelzorgers (CBS) die zwaar belast zijn", Share, Share, mean, Lower;
    "cbs_carer_share_18-34", "residents aged 18–34 giving care (CBS sense)", "bewoners van 18–34 jaar die mantelzorg geven (CBS)", Share, Share, mean, Neither;
    "cbs_carer_share_35-54", "residents aged 35–54 giving care (CBS sense)", "bewoners van 35–54 jaar die mantelzorg geven (CBS)", Share, Share, mean, Neither;
    "cbs_carer_share_55-74", "residents aged 55–74 giving care (CBS sense)", "bewoners van 55–74 jaar die mantelzorg geven (CBS)", Share, Share, mean, Neither;
    "cbs_carer_share_75+", "residents aged 75+ giving care (CBS sense)", "bewoners van 75+ die mantelzorg geven (CBS)", Share, Share, mean, Neither;
    "relatives_share_of_care_pairs", "care pairs between relatives", "zorgparen tussen familieleden", Share, Share, mean, Neither;
    "friends_share_of_help_to_55plus", "help to residents aged 55+ from friends", "hulp aan bewoners van 55+ van vrienden", Share, Share, mean, Neither;
    "neighbours_share_of_help_to_55plus", "help to residents aged 55+ from neighbours", "hulp aan bewoners van 55+ van buren", Share, Share, mean, Neither;
    "friends_share_of_carers_of_55plus", "carers of someone aged 55+ elsewhere who are a friend", "mantelzorgers van een uitwonende 55-plusser die een vriend zijn", Share, Share, mean, Neither;
    "neighbours_share_of_carers_of_55plus", "carers of someone aged 55+ elsewhere who are a neighbour", "mantelzorgers van een uitwonende 55-plusser die een buur zijn", Share, Share, mean, Neither;
    "isolated_share", "residents without ties besides a partner", "bewoners zonder banden buiten hun partner", Share, Share, mean, Lower;
    "volunteering_share", "residents who volunteer", "bewoners die vrijwilligerswerk doen", Share, Share, mean, Neither;
    "kin_within_5km_share", "relatives living within 5 km", "familieleden binnen 5 km", Share, Share, mean, Neither;
    "cbs_carers_aged_18-24_share", "carers (CBS sense) aged 18–24", "mantelzorgers (CBS) van 18–24 jaar", Share, Share, mean, Neither;
    "cbs_carers_aged_25-34_share", "carers (CBS sense) aged 25–34", "mantelzorgers (CBS) van 25–34 jaar", Share, Share, mean, Neither;
    "cbs_carers_aged_35-44_share", "carers (CBS sense) aged 35–44", "mantelzorgers (CBS) van 35–44 jaar", Share, Share, mean, Neither;
    "cbs_carers_aged_45-54_share", "carers (CBS sense) aged 45–54", "mantelzorgers (CBS) van 45–54 jaar", Share, Share, mean, Neither;
    "cbs_carers_aged_55-64_share", "carers (CBS sense) aged 55–64", "mantelzorgers (CBS) van 55–64 jaar", Share, Share, mean, Neither;
    "cbs_carers_aged_65-74_share", "carers (CBS sense) aged 65–74", "mantelzorgers (CBS) van 65–74 jaar", Share, Share, mean, Neither;
    "cbs_carers_aged_75-84_share", "carers (CBS sense) aged 75–84", "mantelzorgers (CBS) van 75–84 jaar", Share, Share, mean, Neither;
    "cbs_carers_aged_85+_share", "carers (CBS sense) aged 85+", "mantelzorgers (CBS) van 85+", Share, Share, mean, Neither;
    "cbs_carer_rate_aged_18-24", "residents aged 18–24 giving care (CBS sense)", "bewoners van 18–24 jaar die mantelzorg geven (CBS)", Share, Share, mean, Neither;
    "cbs_carer_rate_aged_25-34", "residents aged 25–34 giving care (CBS sense)", "bewoners van 25–34 jaar die mantelzorg geven (CBS)", Share, Share, mean, Neither;
    "cbs_carer_rate_aged_35-44", "residents aged 35–44 giving care (CBS sense)", "bewoners van 35–44 jaar die mantelzorg geven (CBS)", Share, Share, mean, Neither;
    "cbs_carer_rate_aged_45-54", "residents aged 45–54 giving care (CBS sense)", "bewoners van 45–54 jaar die mantelzorg geven (CBS)", Share, Share, mean, Neither;
    "cbs_carer_rate_aged_55-64", "residents aged 55–64 giving care (CBS sense)", "bewoners van 55–64 jaar die mantelzorg geven (CBS)", Share, Share, mean, Neither;
    "cbs_carer_rate_aged_65-74", "residents aged 65–74 giving care (CBS sense)", "bewoners van 65–74 jaar die mantelzorg geven (CBS)", Share, Share, mean, Neither;
    "cbs_carer_rate_aged_75-84", "residents aged 75–84 giving care (CBS sense)", "bewoners van 75–84 jaar die mantelzorg geven (CBS)", Share, Share, mean, Neither;
    "cbs_carer_rate_aged_85+", "residents aged 85+ giving care (CBS sense)", "bewoners van 85+ die mantelzorg geven (CBS)", Share, Share, mean, Neither;
    "cbs_carers_of_partner_share", "carers (CBS sense) caring for a partner", "mantelzorgers (CBS) voor een partner", Share, Share, mean, Neither;
    "cbs_carers_of_parent_share", "carers (CBS sense) caring for a parent or parent-in-law", "mantelzorgers (CBS) voor een (schoon)ouder", Share, Share, mean, Neither;
    "cbs_carers_of_child_share", "carers (CBS sense) caring for a child or child-in-law", "mantelzorgers (CBS) voor een (schoon)kind", Share, Share, mean, Neither;
    "cbs_carers_of_sibling_share", "carers (CBS sense) caring for a sibling", "mantelzorgers (CBS) voor een broer of zus", Share, Share, mean, Neither;
    "cbs_carers_of_other_kin_share", "carers (CBS sense) caring for other family", "mantelzorgers (CBS) voor andere familie", Share, Share, mean, Neither;
    "cbs_carers_of_friend_share", "carers (CBS sense) caring for a friend", "mantelzorgers (CBS) voor een vriend", Share, Share, mean, Neither;
    "cbs_carers_of_neighbour_share", "carers (CBS sense) caring for a neighbour", "mantelzorgers (CBS) voor een buur", Share, Share, mean, Neither;
    "cbs_carers_of_other_share", "carers (CBS sense) caring for someone else", "mantelzorgers (CBS) voor iemand anders", Share, Share, mean, Neither;
    "cbs_carers_of_in_law_share", "carers (CBS sense) caring for a parent- or child-in-law (among those for a parent or child)", "mantelzorgers (CBS) voor een schoonouder of schoonkind (onder die voor een ouder of kind)", Share, Share, mean, Neither;
    "cbs_carer_mean_hours_of_partner", "care per carer (CBS sense) of a partner, hours a week", "zorg per mantelzorger (CBS) voor een partner, uren per week", HoursAWeek, Decimal, mean, Neither;
    "cbs_carer_mean_hours_of_parent", "care per carer (CBS sense) of a parent or parent-in-law, hours a week", "zorg per mantelzorger (CBS) voor een (schoon)ouder, uren per week", HoursAWeek, Decimal, mean, Neither;
    "cbs_carer_mean_hours_of_child", "care per carer (CBS sense) of a child or child-in-law, hours a week", "zorg per mantelzorger (CBS) voor een (schoon)kind, uren per week", HoursAWeek, Decimal, mean, Neither;
    "cbs_carer_mean_hours_of_sibling", "care per carer (CBS sense) of a sibling, hours a week", "zorg per mantelzorger (CBS) voor een broer of zus, uren per week", HoursAWeek, Decimal, mean, Neither;
    "cbs_carer_mean_hours_of_other_kin", "care per carer (CBS sense) of other family, hours a week", "zorg per mantelzorger (CBS) voor andere familie, uren per week", HoursAWeek, Decimal, mean, Neither;
    "cbs_carer_mean_hours_of_friend", "care per carer (CBS sense) of a friend, hours a week", "zorg per mantelzorger (CBS) voor een vriend, uren per week", HoursAWeek, Decimal, mean, Neither;
    "cbs_carer_mean_hours_of_neighbour", "care per carer (CBS sense) of a neighbour, hours a week", "zorg per mantelzorger (CBS) voor een buur, uren per week", HoursAWeek, Decimal, mean, Neither;
    "cbs_carer_mean_hours_of_other", "care per carer (CBS sense) of someone else, hours a week", "zorg per mantelzorger (CBS) voor iemand anders, uren per week", HoursAWeek, Decimal, mean, Neither;
    "cbs_carer_mean_hours_heavily_burdened", "care per heavily burdened carer (CBS sense), hours a week", "zorg per zwaar belaste mantelzorger (CBS), uren per week", HoursAWeek, Decimal, mean, Neither;
    "cbs_carer_mean_hours_not_heavily_burdened", "care per carer (CBS sense) not heavily burdened, hours a week", "zorg per niet zwaar belaste mantelzorger (CBS), uren per week", HoursAWeek, Decimal, mean, Neither;
    "children_of_80plus_caring_share", "children of parents aged 80+ who give care", "kinderen van ouders van 80+ die zorg geven", Share, Share, mean, Neither;
    "children_of_80plus_intensive_share", "children of parents aged 80+ who give intensive care", "kinderen van ouders van 80+ die intensief zorgen", Share, Share, mean, Neither;
    "children_of_80plus_cbs_carers_share", "children of parents aged 80+ who are carers (CBS sense) of anyone", "kinderen van ouders van 80+ die mantelzorger (CBS) zijn", Share, Share, mean, Neither;
    "children_of_80plus_cbs_intensive_share", "of those, intensive carers (8+ hours a week)", "van hen, intensieve mantelzorgers (8+ uur per week)", Share, Share, mean, Neither;
    "receivers_55plus_share", "receivers of care aged 55+", "ontvangers van zorg van 55+", Share, Share, mean, Neither;
    "receivers_75plus_share", "receivers of care aged 75+", "ontvangers van zorg van 75+", Share, Share, mean, Neither;
    "cbs_carers_women_share", "women among carers (CBS sense)", "vrouwen onder mantelzorgers (CBS)", Share, Share, mean, Neither;
    "carers_cbs_share_men", "men who are carers (CBS sense)", "mannen die mantelzorger (CBS) zijn", Share, Share, mean, Neither;
    "carers_cbs_share_women", "women who are carers (CBS sense)", "vrouwen die mantelzorger (CBS) zijn", Share, Share, mean, Neither;
    "receivers_55plus_share_men", "receivers of care among men aged 55+", "ontvangers van zorg onder mannen van 55+", Share, Share, mean, Neither;
    "receivers_55plus_share_women", "receivers of care among women aged 55+", "ontvangers van zorg onder vrouwen van 55+", Share, Share, mean, Neither;
    "receivers_75plus_share_men", "receivers of care among men aged 75+", "ontvangers van zorg onder mannen van 75+", Share, Share, mean, Neither;
    "receivers_75plus_share_women", "receivers of care among women aged 75+", "ontvangers van zorg onder vrouwen van 75+", Share, Share, mean, Neither;
    "receivers_55plus_mean_hours", "care per receiver aged 55+, hours a week", "zorg per ontvanger van 55+, uren per week", HoursAWeek, Decimal, mean, Neither;
    "receivers_55plus_mean_hours_alone", "care per receiver aged 55+ living alone, hours a week", "zorg per alleenwonende ontvanger van 55+, uren per week", HoursAWeek, Decimal, mean, Neither;
    "receivers_55plus_mean_hours_with_partner", "care per receiver aged 55+ living with a partner, hours a week", "zorg per ontvanger van 55+ met een partner, uren per week", HoursAWeek, Decimal, mean, Neither;
    "formal_cost_eur", "cost of formal care, euros", "kosten van formele zorg, euro", Euro, Euro, total, Lower;
    "intervention_cost_eur", "cost of the interventions, euros", "kosten van de interventies, euro", Euro, Euro, total, Lower;
    "formal_cost_wmo_eur", "cost of formal care to the municipality (Wmo), euros", "kosten van formele zorg voor de gemeente (Wmo), euro", Euro, Euro, total, Lower;
    "formal_cost_zvw_eur", "cost of formal care to the health insurers (Zvw), euros", "kosten van formele zorg voor de zorgverzekeraars (Zvw), euro", Euro, Euro, total, Lower;
    "formal_cost_wlz_eur", "cost of formal care to the Wlz, euros", "kosten van formele zorg voor de Wlz, euro", Euro, Euro, total, Lower;
}

/// The metric table as the teaching page's script (`metrics.js`): by column,
/// the labels in both languages, the format and the better direction.
pub fn page_script() -> String {
    let entries: serde_json::Map<String, serde_json::Value> = METRICS
        .iter()
        .map(|m| {
            let entry = serde_json::json!({
                "en": m.label,
                "nl": m.label_nl,
                "format": m.format.name(),
                "better": m.better.sign(),
            });
            (m.column.to_string(), entry)
        })
        .collect();
    format!(
        "// The metric table of summary.csv (carenet's src/metrics.rs): labels in English\n\
         // and Dutch, format and which way is better (-1 lower, 1 higher, 0 neither).\n\
         window.carenet = window.carenet ?? {{}};\n\
         window.carenet.metrics = {};\n",
        serde_json::Value::Object(entries)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_interval_is_shown_within_the_values_its_metric_can_take() {
        let waiting = find("mean_waiting_list").expect("a metric");
        assert_eq!(waiting.shown_interval((-11.5, 42.3)), ((0.0, 42.3), true));
        assert_eq!(waiting.shown_interval((2.0, 42.3)), ((2.0, 42.3), false));
        let share = find("unmet_share").expect("a metric");
        assert_eq!(share.shown_interval((-0.01, 1.2)), ((0.0, 1.0), true));
        assert_eq!(share.shown_interval((0.2, 0.3)), ((0.2, 0.3), false));
    }

    #[test]
    fn every_column_is_once_in_the_table() {
        let mut columns: Vec<&str> = summary_columns().chain(ROW_NAMES).collect();
        let all = columns.len();
        columns.sort_unstable();
        columns.dedup();
        assert_eq!(columns.len(), all, "a column twice");
    }

    #[test]
    fn burnouts_are_counted_as_times_not_as_persons() {
        // A carer who recovers can burn out again: the total is not persons.
        let burnouts = METRICS.iter().find(|m| m.column == "burnouts").unwrap();
        assert_eq!(burnouts.unit, Unit::Times);
        assert!(!burnouts.label.contains("persons"), "{}", burnouts.label);
        assert!(
            !burnouts.label_nl.contains("personen"),
            "{}",
            burnouts.label_nl
        );
    }

    #[test]
    fn labels_are_written_and_units_agree_with_formats() {
        for m in METRICS {
            assert!(
                !m.label.is_empty() && !m.label_nl.is_empty(),
                "{}",
                m.column
            );
            assert_ne!(m.label, m.label_nl, "{} has no Dutch label", m.column);
            match m.unit {
                Unit::Share => assert_eq!(m.format, Format::Share, "{}", m.column),
                Unit::Euro => assert_eq!(m.format, Format::Euro, "{}", m.column),
                _ => assert_ne!(m.format, Format::Share, "{}", m.column),
            }
            if m.unit == Unit::Share {
                assert!(!m.per_capita, "{}: a share is not a total", m.column);
            }
        }
    }

    #[test]
    fn the_page_script_holds_every_metric() {
        let script = page_script();
        let json = script
            .split_once("window.carenet.metrics = ")
            .and_then(|(_, rest)| rest.strip_suffix(";\n"))
            .expect("one assignment");
        let table: serde_json::Value = serde_json::from_str(json).expect("JSON");
        assert_eq!(table.as_object().map(|o| o.len()), Some(METRICS.len()));
        assert_eq!(table["unmet_share"]["better"], -1);
        assert_eq!(table["mean_wait_weeks"]["format"], "decimal");
        assert_eq!(
            table["burnouts"]["nl"],
            "keren dat mantelzorgers opbrandden"
        );
    }
}
