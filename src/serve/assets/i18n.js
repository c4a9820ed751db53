// Every text of the page in English and Dutch. Keys are used by data-i18n
// attributes in index.html and by app.js; both languages have every key (the
// Rust test `serve::assets` checks the page's keys exist here).
//
// The page's scripts are classic scripts, not ES modules, so that the exported
// page also runs from a folder opened as file:// (Chromium refuses module
// scripts there); each file keeps its names to itself and adds what it offers
// to `window.carenet`.

(() => {
const STRINGS = {
  en: {
    title: "Care networks: who helps whom?",
    subtitle:
      "A simulated town of residents, their families, friends and neighbours. Pick a setting from Dutch field research, move the levers of local care policy, and watch week by week who gets help, from whom, and what is left unmet.",
    language: "Taal: Nederlands",
    scenario: "Setting",
    watch: "Neighbourhood to draw",
    levers: "Levers",
    scenario_value: "as in the setting",
    reset: "Back to the setting's values",
    speed: "Speed",
    speed_slow: "slow",
    speed_normal: "normal",
    speed_fast: "as fast as possible",
    run: "Run",
    stop: "Stop",
    compare: "Compare with the previous run",
    why: "What the research says",
    lever_cohesion: "Neighbourhood cohesion",
    lever_cohesion_unit: "0 = strangers, 1 = everyone knows everyone",
    lever_cohesion_help:
      "Cohesion gives more neighbour ties and more trust in them. The Social Support Act (Wmo) assumes that cohesive neighbourhoods produce care between neighbours. Jager-Vreugdenhil (Zwolle, Westervoort, Barneveld, Putten, Wageningen) found no relation between cohesion and care between neighbours: neighbours help in emergencies, briefly, and preferably reciprocally. Linders found that even in cohesive Drents Dorp (Eindhoven) less than half of the help residents gave each other stayed inside the neighbourhood. Moving the slider sets every neighbourhood to this value.",
    lever_trust: "Trust in formal care",
    lever_trust_unit: "0 = none, 1 = full",
    lever_trust_help:
      "Residents who distrust formal care apply to the district team later. Welschen (Amsterdam Noord, Nieuw West) found that in low-trust neighbourhoods residents distrust formal help and ask late, and that volunteers, churches and migrant organisations act as guides to it. In the model the delay before applying grows as trust falls. Moving the slider sets every neighbourhood to this value.",
    lever_network_first: "Network-first intake",
    lever_network_first_unit: "the district team first asks the family and friends to do more",
    switch_on: "on",
    switch_off: "off",
    lever_network_first_help:
      "Bredewold analysed 64 kitchen-table conversations: professionals almost always raise the client's network, yet this seldom leads to extra help, even when they ask explicitly, because family lives far away, the relationship does not allow it, and mostly because the network is already burdened (in more than half of the conversations). In the model the team activates the network for some weeks before it assigns professional hours.",
    lever_exchange: "Help exchange",
    lever_exchange_unit: "a coordinator matches requests with volunteers",
    exchange_off: "none",
    exchange_open: "open to all",
    exchange_reciprocal: "only if you offer too",
    lever_exchange_help:
      "Bredewold found that reciprocity makes asking easier, and that help exchanges with a coordinator, where you offer something too and where helper and helped are socially more distant, make asking easier. Jager-Vreugdenhil adds that care-oriented associations (Zonnebloem, Red Cross, churches) are real sources of care and are not bound to a neighbourhood.",
    lever_capacity: "Formal care capacity",
    lever_capacity_unit: "professional hours a week per 1,000 adults",
    lever_capacity_help:
      "The district team's hours. De Lange (Purmerend) found that many clients have no network at all, that the network is often as weak as the client, and that professionals with heavy caseloads end up helping themselves. When informal help does not come, the waiting list grows. Not set by this lever: needs of care around the clock (35 hours a week or more, at home with a partner) are the Wlz's, not the municipality's; the district team refers them, and six weeks later professionals give up to 14 hours a week of what is left of such a need, and three days' care in a nursing home in a week the partner is burnt out. Those hours are part of “formal care” in the charts and numbers, so formal care does not fall to zero when the team has no hours.",
    lever_radius: "How far help may come from",
    lever_radius_unit: "a thought experiment",
    radius_unlimited: "anywhere (as in reality)",
    radius_area: "only from the area",
    radius_neighbourhood: "own neighbourhood only",
    lever_radius_help:
      "Policy aimed at neighbourhoods assumes that help is local. Linders: physical nearness is not social nearness; trust and the relationship decide, and most help crosses the neighbourhood's border. This counterfactual lets only helpers from the neighbourhood (or the area) help: the gap it opens is the help that postcode-bound policy does not see.",
    status_idle: "Choose a setting and press Run.",
    status_building: "Building the town: residents, households and their ties…",
    status_burn_in: "Warming up (not shown): week {done} of {burn}",
    status_running: "Week {week} of {weeks}",
    status_writing: "Writing the results…",
    status_done: "Done. The run's tables are in {folder} (inside the results folder).",
    status_done_browser: "Done. The run's tables, as carenet run writes them, can be downloaded below.",
    status_failed: "The run failed: {message}",
    status_stopped: "Stopped before its end: nothing of this run was written. Press Run to start again.",
    status_stopped_browser: "Stopped before its end: this run has no tables to download. Press Run to start again.",
    status_error: "Cannot start the run: {message} ({fix})",
    status_unreachable: "The page cannot reach carenet serve: was it stopped? Start it again (carenet serve), then press Run.",
    status_busy: "Two runs are going already (one may be from a page that was closed or reloaded): wait until one is done, then press Run again.",
    week_title: "Last week shown",
    week: "week",
    need_hours: "need, hours",
    household_hours: "by the partner, hours",
    informal_hours: "informal help, hours",
    formal_hours: "formal care, hours",
    unmet_hours: "unmet, hours",
    waiting_list: "on the waiting list",
    summary_title: "The year in numbers",
    summary_wait: "appears when the run is done",
    hours_short: "h",
    // The mean wait has no value when the teams took nobody off their lists
    // (QA 26: "–" read as "no wait" with 94 residents waiting all year).
    wait_none: "none: nobody came off the waiting list",
    summary_title_years: "The {years} years in numbers",
    status_running_years: "Year {year} of {years}: week {week} of {weeks}",
    years_title: "Year by year",
    years_note:
      "One point a year, the numbers of yearly.csv. Residents aged 75+ are counted at the start of the year; residents in need and their carers are the year's weekly average; the hours are the year's. The town keeps its number of residents: those who die or move out are followed by newcomers and young adults. When a partner dies the other lives on alone, and singles pair up and couples part, the young often and the old seldom, so more of the old live alone each year: read the need beside the share living alone.",
    chart_years_people: "Residents aged 75+, residents in need and their carers",
    chart_years_people_y: "residents",
    chart_years_need: "Need for care and who met it, per year",
    chart_years_need_y: "hours per year",
    x_year: "year",
    year: "year",
    adults_75_plus: "aged 75+",
    living_alone_year: "living alone",
    receivers: "in need",
    carers: "carers",
    unmet_hours_year: "unmet, hours",
    unmet_share_year: "unmet share",
    burnouts_year: "burnouts",
    formal_cost_year: "formal care, €",
    chart_need: "Need for care and who met it",
    chart_need_y: "hours per week",
    chart_locality: "Informal help by where the helper lives, and residents' help going out of the area",
    chart_locality_y: "hours per week",
    chart_waiting: "Waiting list for formal care",
    chart_waiting_y: "residents",
    chart_strain: "Carers' strain",
    chart_strain_y: "0 = none, 1 = the most",
    x_week: "reported week",
    x_week_by_year: "reported week (a label where each year begins)",
    household: "partner",
    informal: "informal",
    formal: "formal",
    unmet: "unmet",
    within: "same neighbourhood",
    cross: "other neighbourhoods",
    outside: "outside the area",
    outbound: "residents' help to parents and parents-in-law outside the area (line)",
    mean_strain: "mean strain",
    p90_strain: "90th percentile",
    previous: "previous run",
    previous_unmet: "unmet, previous run",
    previous_informal: "informal, previous run",
    network_title: "A block of {name}",
    network_before_title: "The network of a block",
    network_before:
      "Press Run: the residents nearest the centre of the neighbourhood under “Neighbourhood to draw” appear here with the ties between them, and each week's help to them lights up.",
    network_note:
      "The {n} residents nearest the centre of {name} (of {residents}) and the ties between them. Lines that light up are this week's help to them; help from outside the block comes in from the edge.",
    network_week: "Week {week}: residents of this block got {household} hours of help from their partner at home and {hours} hours of informal help: {inside}% from inside the block, {neighbourhood}% from elsewhere in the neighbourhood, {cross}% from other neighbourhoods, {outside}% from outside the area.",
    network_none: "Week {week}: no help reached this block.",
    gate_same_neighbourhood: "rest of the neighbourhood",
    gate_cross_neighbourhood: "other neighbourhoods",
    gate_outside: "outside the area",
    kind_partner: "partner",
    kind_kin: "family",
    kind_friend: "friend",
    kind_peer: "fellow sufferer",
    kind_association: "association",
    kind_volunteer: "volunteer match",
    kind_neighbour: "neighbour",
    kind_acquaintance: "acquaintance",
    compare_title: "This run against the previous one",
    compare_metric: "",
    compare_previous: "previous run",
    compare_current: "this run",
    compare_difference: "difference",
    compare_none: "Run twice to compare: change a lever and press Run again.",
    compare_other_length:
      "The previous run reported {previous} weeks and this one {current}: only runs of the same length are compared. Run this setting again with another lever.",
    footer:
      "carenet — an agent-based model of informal care. The research behind the levers: Linders; Jager-Vreugdenhil; Bredewold; De Lange; Welschen (see docs/ODD.md §1.1). The numbers are a model's, not a forecast.",
  },
  nl: {
    title: "Zorgnetwerken: wie helpt wie?",
    subtitle:
      "Een gesimuleerde stad van bewoners, hun familie, vrienden en buren. Kies een situatie uit Nederlands veldonderzoek, verschuif de knoppen van het lokale zorgbeleid en zie week na week wie hulp krijgt, van wie, en wat er blijft liggen.",
    language: "Language: English",
    scenario: "Situatie",
    watch: "Buurt in beeld",
    levers: "Knoppen",
    scenario_value: "zoals in de situatie",
    reset: "Terug naar de waarden van de situatie",
    speed: "Snelheid",
    speed_slow: "langzaam",
    speed_normal: "normaal",
    speed_fast: "zo snel mogelijk",
    run: "Start",
    stop: "Stoppen",
    compare: "Vergelijk met de vorige run",
    why: "Wat het onderzoek zegt",
    lever_cohesion: "Sociale samenhang in de buurt",
    lever_cohesion_unit: "0 = vreemden, 1 = iedereen kent iedereen",
    lever_cohesion_help:
      "Samenhang geeft meer burencontacten en meer vertrouwen daarin. De Wmo gaat ervan uit dat hechte buurten zorg tussen buren opleveren. Jager-Vreugdenhil (Zwolle, Westervoort, Barneveld, Putten, Wageningen) vond geen verband tussen samenhang en zorg tussen buren: buren helpen bij nood, kort, en liefst wederkerig. Linders vond dat zelfs in het hechte Drents Dorp (Eindhoven) minder dan de helft van de hulp die bewoners elkaar gaven binnen de buurt bleef. De schuif zet elke buurt op deze waarde.",
    lever_trust: "Vertrouwen in formele zorg",
    lever_trust_unit: "0 = geen, 1 = volledig",
    lever_trust_help:
      "Wie formele zorg wantrouwt, meldt zich later bij het wijkteam. Welschen (Amsterdam-Noord, Nieuw-West) vond dat bewoners van buurten met weinig vertrouwen formele hulp wantrouwen en laat vragen, en dat vrijwilligers, kerken en migrantenorganisaties de weg ernaar wijzen. In het model groeit de wachttijd tot de aanvraag als het vertrouwen daalt. De schuif zet elke buurt op deze waarde.",
    lever_network_first: "Eerst het netwerk (eigen kracht)",
    lever_network_first_unit: "het wijkteam vraagt eerst familie en vrienden om meer te doen",
    switch_on: "aan",
    switch_off: "uit",
    lever_network_first_help:
      "Bredewold analyseerde 64 keukentafelgesprekken: professionals brengen het netwerk van de cliënt bijna altijd ter sprake, maar dat levert zelden extra hulp op, ook als ze er uitdrukkelijk om vragen: familie woont ver weg, de relatie laat het niet toe, en vooral is het netwerk al belast (in meer dan de helft van de gesprekken). In het model zet het team het netwerk eerst een paar weken in voordat het professionele uren toekent.",
    lever_exchange: "Hulpbeurs",
    lever_exchange_unit: "een coördinator koppelt hulpvragen aan vrijwilligers",
    exchange_off: "geen",
    exchange_open: "voor iedereen",
    exchange_reciprocal: "alleen als je ook aanbiedt",
    lever_exchange_help:
      "Bredewold vond dat wederkerigheid vragen makkelijker maakt, en dat hulpbeurzen met een coördinator, waar je zelf ook iets aanbiedt en waar helper en geholpene sociaal verder van elkaar af staan, de drempel om te vragen verlagen. Jager-Vreugdenhil voegt toe dat zorggerichte verenigingen (Zonnebloem, Rode Kruis, kerken) echte bronnen van zorg zijn, en niet aan een buurt gebonden.",
    lever_capacity: "Capaciteit formele zorg",
    lever_capacity_unit: "professionele uren per week per 1.000 volwassenen",
    lever_capacity_help:
      "De uren van het wijkteam. De Lange (Purmerend) vond dat veel cliënten helemaal geen netwerk hebben, dat het netwerk vaak even kwetsbaar is als de cliënt, en dat professionals met een zware caseload uiteindelijk zelf gaan helpen. Als informele hulp uitblijft, groeit de wachtlijst. Niet met deze knop te regelen: wie zorg in de nabijheid rond de klok nodig heeft (35 uur per week of meer, thuis met een partner), valt onder de Wlz, niet onder de gemeente; het wijkteam verwijst door, en zes weken later geven professionals tot 14 uur per week van wat er van die zorgvraag openstaat, en in een week dat de partner opgebrand is drie dagen zorg in een verpleeghuis (logeren). Die uren tellen mee als „formele zorg” in de grafieken en cijfers, dus de formele zorg wordt niet nul als het wijkteam geen uren heeft.",
    lever_radius: "Waar hulp vandaan mag komen",
    lever_radius_unit: "een gedachte-experiment",
    radius_unlimited: "overal (zoals in het echt)",
    radius_area: "alleen uit het gebied",
    radius_neighbourhood: "alleen uit de eigen buurt",
    lever_radius_help:
      "Beleid dat op buurten mikt, gaat ervan uit dat hulp lokaal is. Linders: fysieke nabijheid is geen sociale nabijheid; vertrouwen en de relatie beslissen, en de meeste hulp gaat over de buurtgrens heen. Dit gedachte-experiment laat alleen helpers uit de eigen buurt (of het gebied) helpen: het gat dat dan ontstaat, is de hulp die postcodebeleid niet ziet.",
    status_idle: "Kies een situatie en druk op Start.",
    status_building: "De stad wordt gebouwd: bewoners, huishoudens en hun banden…",
    status_burn_in: "Inlopen (niet getoond): week {done} van {burn}",
    status_running: "Week {week} van {weeks}",
    status_writing: "De resultaten worden weggeschreven…",
    status_done: "Klaar. De tabellen van deze run staan in {folder} (in de resultatenmap).",
    status_done_browser: "Klaar. De tabellen van deze run, zoals carenet run ze schrijft, staan hieronder om te downloaden.",
    status_failed: "De run is mislukt: {message}",
    status_stopped: "Gestopt voor het einde: van deze run is niets weggeschreven. Druk op Start om opnieuw te beginnen.",
    status_stopped_browser: "Gestopt voor het einde: van deze run zijn geen tabellen te downloaden. Druk op Start om opnieuw te beginnen.",
    status_error: "De run kan niet starten: {message} ({fix})",
    status_unreachable: "De pagina bereikt carenet serve niet: is het gestopt? Start het opnieuw (carenet serve) en druk dan op Start.",
    status_busy: "Er lopen al twee runs (misschien een van een pagina die gesloten of herladen is): wacht tot er een klaar is en druk dan opnieuw op Start.",
    week_title: "Laatst getoonde week",
    week: "week",
    need_hours: "zorgvraag, uren",
    household_hours: "door de partner, uren",
    informal_hours: "informele hulp, uren",
    formal_hours: "formele zorg, uren",
    unmet_hours: "onvervuld, uren",
    waiting_list: "op de wachtlijst",
    summary_title: "Het jaar in cijfers",
    summary_wait: "verschijnt als de run klaar is",
    hours_short: "u",
    wait_none: "geen: niemand kwam van de wachtlijst af",
    // The settings' descriptions (the English ones are the scenario files').
    description_baseline: "Een Nederlands stedelijk gebied van vijf buurten die verschillen in samenhang, vertrouwen en leeftijd; standaardparameters.",
    "description_linders-drents-dorp": "Linders: een hechte buurt als Drents Dorp van 2.600 volwassenen tussen drie gewone buurten.",
    "description_jager-cohesion-gradient": "Jager-Vreugdenhil: vijf buurten die alleen in samenhang verschillen, van 0,1 tot 0,9.",
    "description_bredewold-network-first": "Bredewold: het basisgebied, met wijkteams die eerst naar het netwerk kijken (eigen kracht eerst).",
    "description_delange-mutual-aid": "De Lange: twee buurten met een traditie van onderlinge hulp en twee zonder.",
    "description_welschen-low-trust": "Welschen: drie arbeiders- en migrantenbuurten met weinig vertrouwen en één gewone buurt.",
    "description_welschen-low-trust-guides": "Welschen: het gebied met weinig vertrouwen, met informele gidsen in de drie buurten met weinig vertrouwen.",
    "description_ageing-town-2025-2040": "De 6.000 volwassenen van het basisgebied, 15 jaar gevolgd (2025-2040) met demografie: sterfte volgens de CBS-overlevingstafel, verhuizingen, jongeren die 18 worden en nieuwkomers; het zorgstelsel van nu.",
    summary_title_years: "De {years} jaar in cijfers",
    status_running_years: "Jaar {year} van {years}: week {week} van {weeks}",
    years_title: "Jaar na jaar",
    years_note:
      "Eén punt per jaar, de getallen van yearly.csv. Bewoners van 75+ zijn geteld aan het begin van het jaar; bewoners met een zorgvraag en hun mantelzorgers zijn het weekgemiddelde van het jaar; de uren zijn die van het jaar. De stad houdt haar aantal bewoners: wie overlijdt of verhuist, wordt opgevolgd door nieuwkomers en jongvolwassenen. Als een partner overlijdt, woont de ander voortaan alleen, en alleenstaanden vinden een partner en stellen gaan uit elkaar, jongeren vaak en ouderen zelden, dus wonen er elk jaar meer ouderen alleen: lees de zorgvraag naast het deel dat alleen woont.",
    chart_years_people: "Bewoners van 75+, bewoners met een zorgvraag en hun mantelzorgers",
    chart_years_people_y: "bewoners",
    chart_years_need: "Zorgvraag en wie die invulde, per jaar",
    chart_years_need_y: "uren per jaar",
    x_year: "jaar",
    year: "jaar",
    adults_75_plus: "75+",
    living_alone_year: "alleenwonend",
    receivers: "met zorgvraag",
    carers: "mantelzorgers",
    unmet_hours_year: "onvervuld, uren",
    unmet_share_year: "deel onvervuld",
    burnouts_year: "opgebrand",
    formal_cost_year: "formele zorg, €",
    chart_need: "Zorgvraag en wie die invulde",
    chart_need_y: "uren per week",
    chart_locality: "Informele hulp naar woonplek van de helper, en hulp van bewoners naar buiten het gebied",
    chart_locality_y: "uren per week",
    chart_waiting: "Wachtlijst formele zorg",
    chart_waiting_y: "bewoners",
    chart_strain: "Belasting van mantelzorgers",
    chart_strain_y: "0 = geen, 1 = maximaal",
    x_week: "week",
    x_week_by_year: "week (een label waar elk jaar begint)",
    household: "partner",
    informal: "informeel",
    formal: "formeel",
    unmet: "onvervuld",
    within: "eigen buurt",
    cross: "andere buurten",
    outside: "buiten het gebied",
    outbound: "hulp van bewoners aan (schoon)ouders buiten het gebied (lijn)",
    mean_strain: "gemiddelde belasting",
    p90_strain: "90e percentiel",
    previous: "vorige run",
    previous_unmet: "onvervuld, vorige run",
    previous_informal: "informeel, vorige run",
    network_title: "Een blok van {name}",
    network_before_title: "Het netwerk van een blok",
    network_before:
      "Druk op Start: hier verschijnen de bewoners die het dichtst bij het midden wonen van de buurt onder “Buurt in beeld”, met de banden tussen hen, en de hulp die zij elke week krijgen licht op.",
    network_note:
      "De {n} bewoners die het dichtst bij het midden van {name} wonen (van de {residents}) en de banden tussen hen. Lijnen die oplichten zijn de hulp die zij deze week kregen; hulp van buiten het blok komt van de rand.",
    network_week: "Week {week}: bewoners van dit blok kregen {household} uur hulp van hun partner thuis en {hours} uur informele hulp: {inside}% van binnen het blok, {neighbourhood}% van elders in de buurt, {cross}% uit andere buurten, {outside}% van buiten het gebied.",
    network_none: "Week {week}: geen hulp bereikte dit blok.",
    gate_same_neighbourhood: "rest van de buurt",
    gate_cross_neighbourhood: "andere buurten",
    gate_outside: "buiten het gebied",
    kind_partner: "partner",
    kind_kin: "familie",
    kind_friend: "vriend",
    kind_peer: "lotgenoot",
    kind_association: "vereniging",
    kind_volunteer: "vrijwilliger (hulpbeurs)",
    kind_neighbour: "buur",
    kind_acquaintance: "kennis",
    compare_title: "Deze run naast de vorige",
    compare_metric: "",
    compare_previous: "vorige run",
    compare_current: "deze run",
    compare_difference: "verschil",
    compare_none: "Draai twee keer om te vergelijken: verander een knop en druk opnieuw op Start.",
    compare_other_length:
      "De vorige run besloeg {previous} weken en deze {current}: alleen runs van dezelfde lengte worden vergeleken. Draai deze situatie nog eens met een andere knop.",
    footer:
      "carenet — een agent-based model van informele zorg. Het onderzoek achter de knoppen: Linders; Jager-Vreugdenhil; Bredewold; De Lange; Welschen (zie docs/ODD.md §1.1). De getallen zijn die van een model, geen voorspelling.",
  },
};

let current = "en";

function setLanguage(language) {
  current = STRINGS[language] ? language : "en";
  document.documentElement.lang = current;
  for (const element of document.querySelectorAll("[data-i18n]")) {
    element.textContent = t(element.dataset.i18n);
  }
  for (const element of document.querySelectorAll("[data-metric-label]")) {
    element.textContent = metricLabel(element.dataset.metricLabel);
  }
}

function language() {
  return current;
}

/** The text of `key` in the current language, with {name} filled from `values`. */
function t(key, values = {}) {
  const text = STRINGS[current][key] ?? STRINGS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
}

/** A number as people read it in the current language: 58,805 or 58.805. */
function number(value, decimals = 0) {
  if (value === null || value === undefined || Number.isNaN(value)) return "–";
  return value.toLocaleString(current === "nl" ? "nl-NL" : "en-GB", {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  });
}

function percent(share, decimals = 1) {
  if (share === null || share === undefined) return "–";
  return number(share * 100, decimals) + "%";
}

/** A summary.csv metric's label in the current language, from the metric table
 * (metrics.js, written from carenet's src/metrics.rs). */
function metricLabel(column) {
  const metric = window.carenet.metrics?.[column];
  return metric ? metric[current] ?? metric.en : column;
}

/** A metric's value shown as the metric table's format says. */
function metricValue(column, value) {
  if (column === "mean_wait_weeks" && (value === null || value === undefined)) return t("wait_none");
  switch (window.carenet.metrics?.[column]?.format) {
    case "share": return percent(value);
    case "decimal": return number(value, 1);
    case "strain": return number(value, 2);
    default: return number(value);
  }
}

/** A difference between two runs as the comparison table shows it: "+5.6 pp",
 * "−27,943", "±0"; a share's difference in percentage points, "%-punt" in
 * Dutch as the reports write it. One too small for the metric's usual
 * precision gets the decimals that show it, as in the reports (QA 38: the
 * page said "+0.0 pp" where the runs differed by 0.04 points). */
function metricDifference(column, difference) {
  if (difference === null || difference === undefined || Number.isNaN(difference)) return "–";
  if (difference === 0) return "±0";
  const format = window.carenet.metrics?.[column]?.format;
  const share = format === "share";
  const size = Math.abs(difference) * (share ? 100 : 1);
  let decimals = { share: 1, decimal: 1, strain: 2 }[format] ?? 0;
  let shown = number(size, decimals);
  while (!/[1-9]/.test(shown) && decimals < 6) {
    decimals += 1;
    shown = number(size, decimals);
  }
  const sign = difference > 0 ? "+" : "−";
  if (!share) return sign + shown;
  return sign + shown + (current === "nl" ? "%-punt" : " pp");
}

/** A setting's description in the current language: the scenario file's
 * (English), or its translation where there is one. */
function scenarioDescription(setting) {
  return STRINGS[current]["description_" + setting.name] ?? setting.description;
}

/** Which way a change of the metric is better: -1 lower, 1 higher, 0 neither. */
function metricBetter(column) {
  return window.carenet.metrics?.[column]?.better ?? 0;
}

window.carenet = window.carenet ?? {};
window.carenet.i18n = {
  STRINGS, setLanguage, language, t, number, percent, metricLabel, metricValue, metricDifference, metricBetter,
  scenarioDescription,
};
})();
