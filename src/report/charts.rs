//! The report's charts, drawn with plotters' SVG backend.
//!
//! Every chart is an SVG document in a string: the same text goes into the HTML
//! page (inline) and into `charts/<file>.svg`, and [`super::png`] rasterises it
//! into `charts/<file>.png` with a bundled font. Text stays text (`<text>`
//! elements the viewer renders with its own sans-serif font); plotters' built-in
//! text-size estimate places the labels, so no font library is needed. Colours
//! are the Okabe–Ito palette, which stays distinguishable with the common kinds
//! of colour blindness.

use std::error::Error;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::experiment::targets::{CBS_CARER_RATE_BY_AGE, cbs_carer_rate_source};
use crate::kinds::{CarerAgeBand, Task, TieKind};

use super::tables::Table;
use super::{Lang, ReportError, RunTables, metric_of};
use crate::metrics::Unit;

/// Okabe–Ito colours.
pub const ORANGE: RGBColor = RGBColor(230, 159, 0);
pub const SKY_BLUE: RGBColor = RGBColor(86, 180, 233);
pub const GREEN: RGBColor = RGBColor(0, 158, 115);
pub const BLUE: RGBColor = RGBColor(0, 114, 178);
pub const VERMILLION: RGBColor = RGBColor(213, 94, 0);
pub const PURPLE: RGBColor = RGBColor(204, 121, 167);
pub const GREY: RGBColor = RGBColor(120, 120, 120);
const INK: RGBColor = RGBColor(40, 40, 40);
const GRID_BOLD: RGBColor = RGBColor(210, 210, 210);

const WIDTH: u32 = 760;
const HEIGHT: u32 = 420;
const FONT: &str = "sans-serif";

/// One drawn chart.
#[derive(Debug, Clone)]
pub struct Chart {
    /// File name in `charts/`, without `.svg`.
    pub file: String,
    pub title: String,
    /// What the chart shows and where its numbers come from, for the page.
    pub note: String,
    /// The SVG document.
    pub svg: String,
}

type DrawResult = Result<(), Box<dyn Error>>;
type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// Draws a chart of `size` pixels with `draw` and wraps it up.
fn chart(
    file: &str,
    title: &str,
    note: &str,
    size: (u32, u32),
    draw: impl FnOnce(&Area<'_>) -> DrawResult,
) -> Result<Chart, ReportError> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        root.fill(&WHITE)
            .map_err(|e| e.to_string())
            .and_then(|()| draw(&root).map_err(|e| e.to_string()))
            .and_then(|()| root.present().map_err(|e| e.to_string()))
            .map_err(|message| ReportError::Chart {
                chart: title.to_string(),
                message,
            })?;
    }
    // An accessible name for the inline and the standalone SVG.
    if let Some(end) = svg.find('>') {
        svg.insert_str(end + 1, &format!("\n<title>{}</title>", escape(title)));
    }
    Ok(Chart {
        file: file.to_string(),
        title: title.to_string(),
        note: note.to_string(),
        svg,
    })
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn caption_style() -> TextStyle<'static> {
    (FONT, 19).into_font().color(&INK)
}

fn small(size: u32) -> TextStyle<'static> {
    (FONT, size).into_font().color(&INK)
}

/// A legend box in the upper left corner.
fn legend_rect(color: RGBColor) -> impl Fn((i32, i32)) -> Rectangle<(i32, i32)> {
    move |(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], color.mix(0.85).filled())
}

/// The labelled series' legend, in the upper left corner on a light box (the
/// charts leave headroom above their data for it).
fn draw_legend<'a, 'b: 'a, X: Ranged, Y: Ranged>(
    chart: &mut ChartContext<'a, SVGBackend<'b>, Cartesian2d<X, Y>>,
) -> DrawResult {
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.9))
        .border_style(GRID_BOLD)
        .label_font(small(13))
        .draw()?;
    Ok(())
}

/// The charts of one run folder.
pub fn run_charts(run: &RunTables, lang: Lang) -> Result<Vec<Chart>, ReportError> {
    let mut charts = Vec::new();
    if let Some(yearly) = run.yearly.as_ref().filter(|y| y.rows.len() > 1) {
        charts.push(years_chart(yearly, lang)?);
        // yearly.csv has them since session 28.
        if yearly.column("living_alone_share").is_ok() {
            charts.push(living_alone_chart(yearly, lang)?);
        }
        // And the year's carer figures since session 34.
        if yearly.column("carers_cbs_share").is_ok() {
            charts.push(year_carers_chart(yearly, lang)?);
        }
    }
    charts.push(locality_chart(&run.timeseries, lang)?);
    charts.extend(destination_chart(&run.timeseries, &run.summary, lang)?);
    charts.extend([
        flows_chart(&run.flows, lang)?,
        need_chart(&run.timeseries, lang)?,
        strain_chart(&run.timeseries, lang)?,
        waiting_chart(&run.timeseries, lang)?,
        cohesion_chart(&run.neighbourhoods, lang)?,
    ]);
    charts.extend(carer_age_chart(&run.summary, lang)?);
    Ok(charts)
}

/// (0) A run of several years: carers, receivers and unmet need by year.
fn years_chart(yearly: &Table, lang: Lang) -> Result<Chart, ReportError> {
    let years = yearly.numbers("year")?;
    let labels = YearLabels::of(yearly, lang)?;
    let carers = yearly.numbers("carers")?;
    let receivers = yearly.numbers("receivers")?;
    let unmet = yearly.numbers("unmet_hours")?;
    let weeks = yearly.numbers("weeks")?;
    // Unmet hours per week, so that a short last year compares with the others.
    let unmet_weekly: Vec<f64> = unmet
        .iter()
        .zip(&weeks)
        .map(|(hours, weeks)| hours / weeks.max(1.0))
        .collect();
    let series = YearSeries {
        years,
        carers,
        receivers,
        unmet_weekly,
    };
    let title = lang.pick(
        "Carers, receivers and unmet need by year",
        "Mantelzorgers, ontvangers en onvervulde zorg per jaar",
    );
    chart(
        "years",
        title,
        lang.pick(
            "Each reported year of a run with demography (yearly.csv): residents in need \
             (receivers) and carers, both weekly means, on the left axis; unmet hours per week \
             (unmet_hours / weeks), dashed, on the right axis.",
            "Elk gerapporteerd jaar van een run met demografie (yearly.csv): bewoners met een \
             zorgvraag (ontvangers) en mantelzorgers, beide weekgemiddelden, op de linker as; \
             onvervulde uren per week (unmet_hours / weeks), gestreept, op de rechter as.",
        ),
        (WIDTH, HEIGHT),
        |root| draw_years(root, title, lang, &labels, &series),
    )
}

/// The yearly figures of the chart of carers, receivers and unmet need.
struct YearSeries {
    years: Vec<f64>,
    carers: Vec<f64>,
    receivers: Vec<f64>,
    unmet_weekly: Vec<f64>,
}

impl YearSeries {
    /// `values` by year, as a line's points.
    fn points(&self, values: &[f64]) -> Vec<(f64, f64)> {
        self.years
            .iter()
            .copied()
            .zip(values.iter().copied())
            .collect()
    }
}

fn draw_years(
    root: &Area<'_>,
    title: &str,
    lang: Lang,
    labels: &YearLabels,
    series: &YearSeries,
) -> DrawResult {
    let first = series.years.first().copied().unwrap_or(1.0);
    let last = series.years.last().copied().unwrap_or(1.0).max(first + 1.0);
    let top = series
        .carers
        .iter()
        .chain(&series.receivers)
        .copied()
        .fold(0.0, f64::max);
    let top_unmet = series.unmet_weekly.iter().copied().fold(0.0, f64::max);
    let mut chart = ChartBuilder::on(root)
        .caption(title, caption_style())
        .margin(14)
        .x_label_area_size(44)
        .y_label_area_size(72)
        .right_y_label_area_size(80)
        .build_cartesian_2d(first..last, 0.0..headroom(top, 1.3).max(1.0))?
        .set_secondary_coord(first..last, 0.0..headroom(top_unmet, 1.3).max(1.0));
    chart
        .configure_mesh()
        .max_light_lines(0)
        .bold_line_style(GRID_BOLD)
        .x_desc(lang.pick("year", "jaar"))
        .y_desc(lang.pick("persons (weekly mean)", "personen (weekgemiddelde)"))
        .x_labels(whole_number_labels(&(first..last)))
        .x_label_formatter(&|v| labels.label(*v))
        .y_label_formatter(&|v| lang.thousands(*v))
        .label_style(small(13))
        .axis_desc_style(small(14))
        .draw()?;
    chart
        .configure_secondary_axes()
        .y_desc(lang.pick("unmet hours per week", "onvervulde uren per week"))
        .y_label_formatter(&|v| lang.thousands(*v))
        .label_style(small(13))
        .axis_desc_style(small(14))
        .draw()?;
    for (values, colour, label) in [
        (&series.carers, GREEN, lang.pick("carers", "mantelzorgers")),
        (
            &series.receivers,
            BLUE,
            lang.pick("receivers", "ontvangers"),
        ),
    ] {
        chart
            .draw_series(LineSeries::new(
                series.points(values),
                colour.stroke_width(3),
            ))?
            .label(label)
            .legend(legend_rect(colour));
    }
    chart
        .draw_secondary_series(DashedLineSeries::new(
            series.points(&series.unmet_weekly),
            8,
            5,
            VERMILLION.stroke_width(3),
        ))?
        .label(lang.pick(
            "unmet hours per week (right)",
            "onvervulde uren per week (rechts)",
        ))
        .legend(legend_rect(VERMILLION));
    draw_legend(&mut chart)?;
    Ok(())
}

/// (0b) A run of several years: the share of residents living alone, in all
/// and by age band. A projection's need and unmet share move with it
/// (docs/ODD.md §7.2.1, §10.0 item 7), so the report shows it beside them.
fn living_alone_chart(yearly: &Table, lang: Lang) -> Result<Chart, ReportError> {
    shares_by_year_chart(
        yearly,
        lang,
        SharesByYear {
            file: "living-alone",
            title: lang.pick(
                "Residents living alone by year",
                "Alleenwonende bewoners per jaar",
            ),
            note: lang.pick(
                "Each reported year of a run with demography (yearly.csv): the share of residents \
                 living alone at the start of the year, in all (black) and by age band. Partners \
                 give most household care, so a projection's need and unmet share move with these \
                 shares as well as with ageing (docs/ODD.md §10.0 item 7).",
                "Elk gerapporteerd jaar van een run met demografie (yearly.csv): het deel van de \
                 bewoners dat aan het begin van het jaar alleen woont, van allen (zwart) en per \
                 leeftijdsgroep. Partners geven de meeste zorg in huis, dus de zorgvraag en het \
                 onvervulde deel van een prognose bewegen mee met deze aandelen, niet alleen met \
                 de vergrijzing (docs/ODD.md §10.0 punt 7).",
            ),
            y_desc: lang.pick(
                "living alone, % of residents",
                "alleenwonend, % van de bewoners",
            ),
            series: &[
                (
                    "living_alone_share",
                    INK,
                    lang.pick("all residents", "alle bewoners"),
                ),
                ("living_alone_share_18_34", SKY_BLUE, "18–34"),
                ("living_alone_share_35_54", GREEN, "35–54"),
                ("living_alone_share_55_74", ORANGE, "55–74"),
                ("living_alone_share_75_plus", PURPLE, "75+"),
            ],
        },
    )
}

/// (0c) A run of several years: each year's carers and receivers as the
/// Dutch surveys count them, over that year alone (docs/ODD.md §9.13), so a
/// projection can be read beside CBS's and SCP's figures year by year.
fn year_carers_chart(yearly: &Table, lang: Lang) -> Result<Chart, ReportError> {
    shares_by_year_chart(
        yearly,
        lang,
        SharesByYear {
            file: "year-carers",
            title: lang.pick(
                "Carers and receivers of care by year",
                "Mantelzorgers en ontvangers van zorg per jaar",
            ),
            note: lang.pick(
                "Each reported year of a run of several years (yearly.csv), counted over that year \
                 alone as the surveys ask about a year: residents who are carers in CBS's sense \
                 (13+ weeks to one person or 8+ hours a week; Dutch figure 12–14%) and in SCP's \
                 broad sense (any help outside the household; 30–36%), and residents aged 55+ and \
                 75+ who received care in CBS's sense (about 10% and 25%). summary.csv counts the \
                 same over the whole run, where a carer of any 13 weeks in 15 years counts.",
                "Elk gerapporteerd jaar van een run van meer jaren (yearly.csv), geteld over dat \
                 jaar alleen, zoals de enquêtes naar een jaar vragen: bewoners die mantelzorger \
                 zijn in de zin van het CBS (13+ weken voor één persoon of 8+ uur per week; in \
                 Nederland 12–14%) en helper in de brede zin van het SCP (elke hulp buiten het \
                 huishouden; 30–36%), en bewoners van 55+ en 75+ die mantelzorg ontvingen in de \
                 zin van het CBS (ongeveer 10% en 25%). summary.csv telt hetzelfde over de hele \
                 run, waarin wie in 15 jaar ergens 13 weken zorgde meetelt.",
            ),
            y_desc: lang.pick("% of residents", "% van de bewoners"),
            series: &[
                (
                    "carers_cbs_share",
                    BLUE,
                    lang.pick("carers (CBS)", "mantelzorgers (CBS)"),
                ),
                (
                    "carers_broad_share",
                    SKY_BLUE,
                    lang.pick("helpers (SCP, broad)", "helpers (SCP, breed)"),
                ),
                (
                    "receivers_55plus_share",
                    ORANGE,
                    lang.pick("receivers, % of 55+", "ontvangers, % van 55+"),
                ),
                (
                    "receivers_75plus_share",
                    VERMILLION,
                    lang.pick("receivers, % of 75+", "ontvangers, % van 75+"),
                ),
            ],
        },
    )
}

/// A chart of shares of yearly.csv by year, in per cent: its file name, title,
/// note, y axis, and the columns drawn with their colour and label (the first
/// drawn thick).
struct SharesByYear<'a> {
    file: &'a str,
    title: &'a str,
    note: &'a str,
    y_desc: &'a str,
    series: &'a [(&'a str, RGBColor, &'a str)],
}

fn shares_by_year_chart(
    yearly: &Table,
    lang: Lang,
    chart_of: SharesByYear<'_>,
) -> Result<Chart, ReportError> {
    let years = yearly.numbers("year")?;
    let labels = YearLabels::of(yearly, lang)?;
    let SharesByYear {
        file,
        title,
        note,
        y_desc,
        series,
    } = chart_of;
    let values = series
        .iter()
        .map(|(column, _, _)| {
            Ok(yearly
                .numbers(column)?
                .iter()
                .map(|share| 100.0 * share)
                .collect::<Vec<f64>>())
        })
        .collect::<Result<Vec<_>, ReportError>>()?;
    chart(file, title, note, (WIDTH, HEIGHT), |root| {
        let first = years.first().copied().unwrap_or(1.0);
        let last = years.last().copied().unwrap_or(1.0).max(first + 1.0);
        let top = values.iter().flatten().copied().fold(0.0, f64::max);
        let mut chart = ChartBuilder::on(root)
            .caption(title, caption_style())
            .margin(14)
            .x_label_area_size(44)
            .y_label_area_size(72)
            .build_cartesian_2d(first..last, 0.0..headroom(top, 1.4).clamp(1.0, 100.0))?;
        chart
            .configure_mesh()
            .max_light_lines(0)
            .bold_line_style(GRID_BOLD)
            .x_desc(lang.pick("year", "jaar"))
            .y_desc(y_desc)
            .x_labels(whole_number_labels(&(first..last)))
            .x_label_formatter(&|v| labels.label(*v))
            .y_label_formatter(&|v| format!("{v:.0}%"))
            .label_style(small(13))
            .axis_desc_style(small(14))
            .draw()?;
        for (i, ((_, colour, label), values)) in series.iter().zip(&values).enumerate() {
            let points: Vec<(f64, f64)> =
                years.iter().copied().zip(values.iter().copied()).collect();
            let width = if i == 0 { 4 } else { 2 };
            chart
                .draw_series(LineSeries::new(points, colour.stroke_width(width)))?
                .label(*label)
                .legend(legend_rect(*colour));
        }
        draw_legend(&mut chart)?;
        Ok(())
    })
}

/// Weeks (x) of a timeseries.
fn weeks(timeseries: &Table) -> Result<Vec<f64>, ReportError> {
    timeseries.numbers("week")
}

fn week_range(weeks: &[f64]) -> std::ops::Range<f64> {
    let last = weeks.iter().copied().fold(0.0_f64, f64::max);
    0.0..last.max(1.0)
}

/// At most this many labels on an axis of weeks or years (plotters' own
/// default, so that a year's weeks are labelled as before: 0, 5, … 50).
const MOST_COUNT_LABELS: usize = 11;

/// How many labels an axis of whole numbers (weeks, years, residents) over `range` asks
/// plotters for: no more than there are whole numbers in it, so that no label
/// falls between two (QA 29: a 5-year run's years were labelled
/// 1 2 2 2 3 4 4 4 5, a 4-week run's weeks -0 0 0 1 2 2 2 3 4, and an empty
/// waiting list's residents 0 0 0 0 0 1 1 1 1 1 1).
fn whole_number_labels(range: &std::ops::Range<f64>) -> usize {
    let whole_numbers = (range.end.floor() - range.start.ceil()).max(0.0) as usize + 1;
    whole_numbers.clamp(2, MOST_COUNT_LABELS)
}

/// A label of an axis of whole numbers (weeks, years, residents): blank
/// between them, grouped in thousands, and never "-0".
fn whole_number(v: &f64, lang: Lang) -> String {
    if (v - v.round()).abs() > 1e-6 {
        return String::new();
    }
    lang.thousands(*v)
}

/// How a chart of years labels them: by the calendar year each stands for
/// where the table has one (a scenario with `start_year`), else by number.
/// Charts place the years by number, so tables of runs made before the
/// column existed read as they did.
pub(crate) struct YearLabels {
    /// The calendar year of year 0.
    offset: Option<f64>,
    lang: Lang,
}

impl YearLabels {
    pub(crate) fn of(table: &Table, lang: Lang) -> Result<YearLabels, ReportError> {
        let mut offset = None;
        if table.has_column(crate::output::CALENDAR_YEAR) {
            for row in 0..table.rows.len() {
                let year = table.number(row, "year")?;
                let calendar = table.number(row, crate::output::CALENDAR_YEAR)?;
                if let (Some(year), Some(calendar)) = (year, calendar) {
                    offset = Some(calendar - year);
                    break;
                }
            }
        }
        Ok(YearLabels { offset, lang })
    }

    /// The label of year `year` on an axis (none between whole years); a
    /// calendar year without a thousands separator.
    pub(crate) fn label(&self, year: f64) -> String {
        match self.offset {
            Some(offset) if (year - year.round()).abs() <= 1e-6 => {
                format!("{}", (year + offset).round() as i64)
            }
            Some(_) => String::new(),
            None => whole_number(&year, self.lang),
        }
    }
}

/// Upper end of a y axis: the largest value with room above for a legend.
fn headroom(max: f64, factor: f64) -> f64 {
    if max > 0.0 { max * factor } else { 1.0 }
}

/// Stacked areas over the weeks, bottom series first, under the chart's title.
fn stacked_weeks(
    root: &Area<'_>,
    title: &str,
    (y_desc, lang): (&str, Lang),
    weeks: &[f64],
    series: &[(&str, Vec<f64>, RGBColor)],
) -> DrawResult {
    stacked_weeks_captioned(
        root,
        (title, caption_style()),
        (y_desc, lang),
        weeks,
        series,
    )
}

/// Stacked areas over the weeks under `caption`: a chart's title, or a panel's
/// caption where the chart has more than one panel.
fn stacked_weeks_captioned(
    root: &Area<'_>,
    (caption, caption_style): (&str, TextStyle<'_>),
    (y_desc, lang): (&str, Lang),
    weeks: &[f64],
    series: &[(&str, Vec<f64>, RGBColor)],
) -> DrawResult {
    let mut cumulative: Vec<Vec<f64>> = Vec::new();
    let mut running = vec![0.0; weeks.len()];
    for (_, values, _) in series {
        for (r, v) in running.iter_mut().zip(values) {
            *r += v;
        }
        cumulative.push(running.clone());
    }
    let max = running.iter().copied().fold(0.0, f64::max);
    let mut chart = ChartBuilder::on(root)
        .caption(caption, caption_style)
        .margin(14)
        .x_label_area_size(44)
        .y_label_area_size(72)
        .build_cartesian_2d(week_range(weeks), 0.0..headroom(max, 1.45))?;
    chart
        .configure_mesh()
        .max_light_lines(0)
        .bold_line_style(GRID_BOLD)
        .x_desc(lang.pick("reported week", "gerapporteerde week"))
        .y_desc(y_desc)
        .x_labels(whole_number_labels(&week_range(weeks)))
        .x_label_formatter(&|v| whole_number(v, lang))
        .y_label_formatter(&|v| lang.thousands(*v))
        .label_style(small(13))
        .axis_desc_style(small(14))
        .draw()?;
    // Top of the stack first, so each lower band paints over the one above it;
    // the legend then lists the bands from top to bottom, as they appear.
    for ((label, _, color), top) in series.iter().zip(&cumulative).rev() {
        let color = *color;
        chart
            .draw_series(
                AreaSeries::new(
                    weeks.iter().copied().zip(top.iter().copied()),
                    0.0,
                    color.mix(0.85),
                )
                .border_style(color.stroke_width(1)),
            )?
            .label(*label)
            .legend(legend_rect(color));
    }
    draw_legend(&mut chart)
}

/// (1) Informal hours per week by where the helper lives.
fn locality_chart(timeseries: &Table, lang: Lang) -> Result<Chart, ReportError> {
    let weeks = weeks(timeseries)?;
    let series = vec![
        (
            lang.pick("same neighbourhood", "eigen buurt"),
            timeseries.numbers("within_neighbourhood_hours")?,
            GREEN,
        ),
        (
            lang.pick(
                "another neighbourhood of the area",
                "andere buurt van het gebied",
            ),
            timeseries.numbers("cross_neighbourhood_hours")?,
            SKY_BLUE,
        ),
        (
            lang.pick("outside the area", "buiten het gebied"),
            timeseries.numbers("outside_hours")?,
            ORANGE,
        ),
    ];
    let title = lang.pick(
        "Informal help by where the helper lives",
        "Informele hulp naar woonplek van de helper",
    );
    chart(
        "informal-hours-by-locality",
        title,
        lang.pick(
            "Informal hours per reported week, stacked by where the helper lives, seen from \
             the resident who received the help (timeseries.csv: within_neighbourhood_hours, \
             cross_neighbourhood_hours, outside_hours).",
            "Informele uren per gerapporteerde week, gestapeld naar waar de helper woont, \
             gezien vanuit de bewoner die de hulp kreeg (timeseries.csv: \
             within_neighbourhood_hours, cross_neighbourhood_hours, outside_hours).",
        ),
        (WIDTH, HEIGHT),
        |root| {
            let y_desc = lang.pick("informal hours per week", "informele uren per week");
            stacked_weeks(root, title, (y_desc, lang), &weeks, &series)
        },
    )
}

/// The distance bands of residents' help to parents outside the area, as
/// summary.csv names them (`outbound_hours_<band>`) and as the chart labels them.
const OUTBOUND_BANDS: [(&str, &str, &str); 5] = [
    ("under_1km", "under 1 km", "onder 1 km"),
    ("1_to_5km", "1–5 km", "1–5 km"),
    ("5_to_20km", "5–20 km", "5–20 km"),
    ("20_to_50km", "20–50 km", "20–50 km"),
    ("50km_plus", "50 km or more", "50 km of meer"),
];

/// (1b) Where residents' help goes, the other direction of (1): to residents of
/// their own neighbourhood, of another neighbourhood of the area, and to their
/// parents and parents-in-law outside it (docs/ODD.md §7.10.19), per week; and
/// the year's help to parents outside by the distance between the homes.
/// `None` for a folder from before residents cared for parents outside.
fn destination_chart(
    timeseries: &Table,
    summary: &Table,
    lang: Lang,
) -> Result<Option<Chart>, ReportError> {
    let band_columns = OUTBOUND_BANDS.map(|(band, _, _)| format!("outbound_hours_{band}"));
    if timeseries.column("outbound_nursing_home_hours").is_err()
        || summary.column(&band_columns[0]).is_err()
    {
        return Ok(None);
    }
    let weeks = weeks(timeseries)?;
    let series = destination_series(timeseries, lang)?;
    let by_distance = band_columns
        .iter()
        .map(|column| Ok(summary.number(0, column)?.unwrap_or(0.0)))
        .collect::<Result<Vec<f64>, ReportError>>()?;
    let band_names: Vec<String> = OUTBOUND_BANDS
        .iter()
        .map(|(_, english, dutch)| lang.pick(english, dutch).to_string())
        .collect();
    let title = lang.pick(
        "Where residents' help goes",
        "Waar de hulp van bewoners heen gaat",
    );
    chart(
        "help-given-by-destination",
        title,
        destination_note(lang),
        (WIDTH + 160, HEIGHT),
        |root| {
            let inner = root.titled(title, caption_style())?;
            let (left, right) = inner.split_horizontally((WIDTH as i32 + 160) * 3 / 5);
            stacked_weeks_captioned(
                &left,
                ("per week", small(15)),
                (
                    lang.pick("hours given per week", "gegeven uren per week"),
                    lang,
                ),
                &weeks,
                &series,
            )?;
            bar_panel(
                &right,
                lang.pick(
                    "to parents outside, by distance",
                    "aan ouders buiten, naar afstand",
                ),
                (&band_names, &by_distance),
                (INK, lang),
            )
        },
    )
    .map(Some)
}

/// A stacked chart's series: its name, its value each week and its colour.
type WeekSeries = (&'static str, Vec<f64>, RGBColor);

/// The weekly hours given, by where the receiver lives.
fn destination_series(timeseries: &Table, lang: Lang) -> Result<Vec<WeekSeries>, ReportError> {
    let outbound = timeseries.numbers("outbound_hours")?;
    let nursing_home = timeseries.numbers("outbound_nursing_home_hours")?;
    let at_home = outbound
        .iter()
        .zip(&nursing_home)
        .map(|(all, home)| (all - home).max(0.0))
        .collect();
    Ok(vec![
        (
            lang.pick("own neighbourhood", "eigen buurt"),
            timeseries.numbers("within_neighbourhood_hours")?,
            GREEN,
        ),
        (
            lang.pick("another neighbourhood", "andere buurt"),
            timeseries.numbers("cross_neighbourhood_hours")?,
            SKY_BLUE,
        ),
        (
            lang.pick("parents outside, at home", "ouders buiten, thuis"),
            at_home,
            INK,
        ),
        (
            lang.pick("parents outside, in a home", "ouders buiten, verpleeghuis"),
            nursing_home,
            GREY,
        ),
    ])
}

fn destination_note(lang: Lang) -> &'static str {
    lang.pick(
        "Left: the informal hours residents gave outside their household per reported \
         week, stacked by where the receiver lives: in the helper's own neighbourhood, in \
         another neighbourhood of the area (timeseries.csv: within_neighbourhood_hours, \
         cross_neighbourhood_hours, the same hours as the chart above, seen from the \
         giver), or outside the area, the care residents give their parents and \
         parents-in-law there, at home or in a nursing home (outbound_hours, \
         outbound_nursing_home_hours: the residents' own account, not part of the area's \
         need). Right: those hours to parents outside over the reported weeks by the \
         distance between the homes (summary.csv: outbound_hours_<band>).",
        "Links: de informele uren die bewoners per gerapporteerde week buiten hun \
         huishouden gaven, gestapeld naar waar de ontvanger woont: in de eigen buurt van \
         de helper, in een andere buurt van het gebied (timeseries.csv: \
         within_neighbourhood_hours, cross_neighbourhood_hours, dezelfde uren als in de \
         grafiek hierboven, gezien vanuit de gever), of buiten het gebied: de zorg die \
         bewoners daar aan hun ouders en schoonouders geven, thuis of in een verpleeghuis \
         (outbound_hours, outbound_nursing_home_hours: een eigen rekening van de bewoners, \
         geen deel van de zorgvraag van het gebied). Rechts: die uren aan ouders buiten \
         het gebied over de gerapporteerde weken, naar de afstand tussen de woningen \
         (summary.csv: outbound_hours_<band>).",
    )
}

/// (3) Need per week split into where its hours went.
fn need_chart(timeseries: &Table, lang: Lang) -> Result<Chart, ReportError> {
    let weeks = weeks(timeseries)?;
    let series = vec![
        (
            lang.pick("household (partner)", "huishouden (partner)"),
            timeseries.numbers("household_hours")?,
            PURPLE,
        ),
        (
            lang.pick("informal", "informeel"),
            timeseries.numbers("informal_hours")?,
            GREEN,
        ),
        (
            lang.pick("formal", "formeel"),
            timeseries.numbers("formal_hours")?,
            BLUE,
        ),
        (
            lang.pick("unmet", "onvervuld"),
            timeseries.numbers("unmet_hours")?,
            VERMILLION,
        ),
    ];
    let title = lang.pick(
        "Need for care and who met it",
        "Zorgvraag en wie die invulde",
    );
    chart(
        "need-by-source",
        title,
        lang.pick(
            "Hours of need per reported week, stacked: met by a partner in the household, by \
             informal helpers, by formal care, or left unmet; the top of the stack is \
             need_hours (timeseries.csv).",
            "Uren zorgvraag per gerapporteerde week, gestapeld: ingevuld door een partner in \
             het huishouden, door informele helpers, door formele zorg, of onvervuld; de \
             bovenkant van de stapel is need_hours (timeseries.csv).",
        ),
        (WIDTH, HEIGHT),
        |root| {
            let y_desc = lang.pick("hours per week", "uren per week");
            stacked_weeks(root, title, (y_desc, lang), &weeks, &series)
        },
    )
}

/// Horizontal bars of `values` named `names`, first at the top.
fn bar_panel(
    area: &Area<'_>,
    caption: &str,
    (names, values): (&[String], &[f64]),
    (color, lang): (RGBColor, Lang),
) -> DrawResult {
    let n = names.len() as i32;
    let max = values.iter().copied().fold(0.0, f64::max);
    let mut chart = ChartBuilder::on(area)
        .caption(caption, small(15))
        .margin(10)
        .margin_right(24)
        .x_label_area_size(44)
        .y_label_area_size(104)
        .build_cartesian_2d(0.0..headroom(max, 1.3), (0..n - 1).into_segmented())?;
    let label = |v: &SegmentValue<i32>| match v {
        SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => names
            .get((n - 1 - *i) as usize)
            .cloned()
            .unwrap_or_default(),
        SegmentValue::Last => String::new(),
    };
    chart
        .configure_mesh()
        .disable_y_mesh()
        .max_light_lines(0)
        .bold_line_style(GRID_BOLD)
        .x_desc(lang.pick(
            "hours in the reported weeks",
            "uren in de gerapporteerde weken",
        ))
        .x_labels(4)
        .x_label_formatter(&|v| lang.thousands(*v))
        .y_labels(names.len())
        .y_label_formatter(&label)
        .label_style(small(12))
        .axis_desc_style(small(13))
        .draw()?;
    chart.draw_series(values.iter().enumerate().map(|(i, v)| {
        let row = n - 1 - i as i32;
        let mut bar = Rectangle::new(
            [
                (0.0, SegmentValue::Exact(row)),
                (*v, SegmentValue::Exact(row + 1)),
            ],
            color.filled(),
        );
        bar.set_margin(4, 4, 0, 0);
        bar
    }))?;
    let value_style = small(12).pos(Pos::new(HPos::Left, VPos::Center));
    chart.draw_series(values.iter().enumerate().map(|(i, v)| {
        let row = n - 1 - i as i32;
        EmptyElement::at((*v, SegmentValue::CenterOf(row)))
            + Text::new(lang.thousands(*v), (4, 0), value_style.clone())
    }))?;
    Ok(())
}

/// Tick labels with as many decimals as an axis up to `max` needs.
fn ticks(max: f64, lang: Lang) -> impl Fn(&f64) -> String {
    let step = max.abs() / 5.0;
    let decimals = if step > 0.0 {
        (-crate::math::log10(step).floor()).clamp(0.0, 6.0) as usize
    } else {
        0
    };
    move |v: &f64| {
        if decimals == 0 {
            lang.thousands(*v)
        } else {
            lang.decimal(*v, decimals).replace('-', "−")
        }
    }
}

/// A tie kind's or task's name for people: its name in the files with spaces
/// for underscores, or its Dutch name.
fn named(name: &str, lang: Lang) -> String {
    const DUTCH: [(&str, &str); 14] = [
        ("partner", "partner"),
        ("kin", "familie"),
        ("friend", "vriend"),
        ("peer", "lotgenoot"),
        ("association", "vereniging"),
        ("volunteer", "vrijwilliger"),
        ("neighbour", "buur"),
        ("acquaintance", "kennis"),
        ("household", "huishouden"),
        ("personal_care", "persoonlijke verzorging"),
        ("transport", "vervoer"),
        ("administration", "administratie"),
        ("company", "gezelschap"),
        ("emergency", "noodgeval"),
    ];
    let dutch = DUTCH.iter().find(|(english, _)| *english == name);
    match (lang, dutch) {
        (Lang::Nl, Some((_, dutch))) => (*dutch).to_string(),
        _ => name.replace('_', " "),
    }
}

/// (2) Hours by tie kind and by task over the reported weeks.
fn flows_chart(flows: &Table, lang: Lang) -> Result<Chart, ReportError> {
    let kinds: Vec<String> = TieKind::ALL
        .iter()
        .filter(|k| **k != TieKind::Partner)
        .map(ToString::to_string)
        .collect();
    let tasks: Vec<String> = Task::ALL.iter().map(ToString::to_string).collect();
    let hours = flows.numbers("hours")?;
    let kind_column = flows.column("tie_kind")?;
    let task_column = flows.column("task")?;
    // Help residents received; their help to parents outside the area has its
    // own rows (direction "outbound"). Folders from before directions have none.
    let direction = flows.column("direction").ok();
    let inbound = |row: &Vec<String>| {
        direction.is_none_or(|d| row.get(d).map(String::as_str) == Some("inbound"))
    };
    let total = |names: &[String], column: usize| -> Vec<f64> {
        names
            .iter()
            .map(|name| {
                flows
                    .rows
                    .iter()
                    .zip(&hours)
                    .filter(|(row, _)| inbound(row) && row.get(column) == Some(name))
                    .map(|(_, h)| h)
                    .sum()
            })
            .collect()
    };
    let by_kind = total(&kinds, kind_column);
    let by_task = total(&tasks, task_column);
    let kind_names: Vec<String> = kinds.iter().map(|k| named(k, lang)).collect();
    let task_names: Vec<String> = tasks.iter().map(|t| named(t, lang)).collect();
    let title = lang.pick(
        "Informal help over the year by tie kind and by task",
        "Informele hulp over het jaar naar soort band en naar taak",
    );
    chart(
        "informal-hours-by-kind-and-task",
        title,
        lang.pick(
            "Informal hours summed over the reported weeks, by the kind of tie the help came \
             over (left; volunteer includes help-exchange matches; partners' help is household \
             help, not shown) and by task (right), from flows.csv.",
            "Informele uren opgeteld over de gerapporteerde weken, naar de soort band waarover \
             de hulp kwam (links; vrijwilliger omvat koppelingen van de hulpbeurs; hulp van de \
             partner is hulp in het huishouden en staat er niet in) en naar taak (rechts), uit \
             flows.csv.",
        ),
        (WIDTH, HEIGHT),
        |root| {
            let inner = root.titled(title, caption_style())?;
            let (left, right) = inner.split_horizontally(WIDTH as i32 / 2);
            bar_panel(
                &left,
                lang.pick("by tie kind", "naar soort band"),
                (&kind_names, &by_kind),
                (BLUE, lang),
            )?;
            bar_panel(
                &right,
                lang.pick("by task", "naar taak"),
                (&task_names, &by_task),
                (ORANGE, lang),
            )
        },
    )
}

/// (4) Carers' mean and p90 strain, and burnouts, per week.
fn strain_chart(timeseries: &Table, lang: Lang) -> Result<Chart, ReportError> {
    let weeks = weeks(timeseries)?;
    let mean = timeseries.numbers("mean_strain")?;
    let p90 = timeseries.numbers("p90_strain")?;
    let burnouts = timeseries.numbers("burnouts")?;
    let title = lang.pick(
        "Carers' strain and burnouts",
        "Belasting van mantelzorgers en wie opbrandt",
    );
    chart(
        "strain-and-burnouts",
        title,
        lang.pick(
            "Top: mean and 90th-percentile strain (0 = none, 1 = the most) of everyone who \
             gave care that week. Bottom: carers who burnt out that week (timeseries.csv: \
             mean_strain, p90_strain, burnouts).",
            "Boven: gemiddelde en 90e percentiel van de belasting (0 = geen, 1 = maximaal) van \
             iedereen die die week zorg gaf. Onder: mantelzorgers die die week opbrandden \
             (timeseries.csv: mean_strain, p90_strain, burnouts).",
        ),
        (WIDTH, 500),
        |root| {
            let inner = root.titled(title, caption_style())?;
            let (top, bottom) = inner.split_vertically(280);
            draw_strain_panel(&top, &weeks, (&mean, &p90), lang)?;
            draw_burnout_panel(&bottom, &weeks, &burnouts, lang)
        },
    )
}

/// Mean and 90th-percentile strain by week, each line labelled at its end.
fn draw_strain_panel(
    top: &Area<'_>,
    weeks: &[f64],
    (mean, p90): (&[f64], &[f64]),
    lang: Lang,
) -> DrawResult {
    let strain_max = p90.iter().chain(mean).copied().fold(0.0, f64::max);
    let mut upper = ChartBuilder::on(top)
        .margin(14)
        .margin_right(110)
        .x_label_area_size(30)
        .y_label_area_size(72)
        .build_cartesian_2d(week_range(weeks), 0.0..headroom(strain_max, 1.15).min(1.0))?;
    upper
        .configure_mesh()
        .max_light_lines(0)
        .bold_line_style(GRID_BOLD)
        .y_desc(lang.pick("strain (0–1)", "belasting (0–1)"))
        .x_labels(whole_number_labels(&week_range(weeks)))
        .x_label_formatter(&|v| whole_number(v, lang))
        .y_label_formatter(&|v| lang.decimal(*v, 1))
        .label_style(small(13))
        .axis_desc_style(small(14))
        .draw()?;
    // Each line is labelled at its right end, where nothing else is drawn.
    let label_style = small(13).pos(Pos::new(HPos::Left, VPos::Center));
    for (label, values, color) in [
        (
            lang.pick("90th percentile", "90e percentiel"),
            p90,
            VERMILLION,
        ),
        (lang.pick("mean", "gemiddelde"), mean, BLUE),
    ] {
        let mut points = weeks.iter().copied().zip(values.iter().copied());
        upper.draw_series(LineSeries::new(points.clone(), color.stroke_width(2)))?;
        if let Some(last) = points.next_back() {
            upper.draw_series([EmptyElement::at(last)
                + Text::new(label, (8, 0), label_style.clone().color(&color))])?;
        }
    }
    Ok(())
}

/// Burnouts per week as bars.
fn draw_burnout_panel(
    bottom: &Area<'_>,
    weeks: &[f64],
    burnouts: &[f64],
    lang: Lang,
) -> DrawResult {
    let burnout_max = burnouts.iter().copied().fold(0.0, f64::max);
    let burnouts_range = 0.0..headroom(burnout_max, 1.15).max(1.0);
    let mut lower = ChartBuilder::on(bottom)
        .margin(14)
        .margin_right(110)
        .x_label_area_size(44)
        .y_label_area_size(72)
        .build_cartesian_2d(
            week_range(weeks).start - 0.5..week_range(weeks).end + 0.5,
            burnouts_range.clone(),
        )?;
    lower
        .configure_mesh()
        .max_light_lines(0)
        .bold_line_style(GRID_BOLD)
        .x_desc(lang.pick("reported week", "gerapporteerde week"))
        .y_desc(lang.pick("burnouts per week", "opgebrand per week"))
        .x_labels(whole_number_labels(&week_range(weeks)))
        .x_label_formatter(&|v| whole_number(v, lang))
        .y_labels(whole_number_labels(&burnouts_range))
        .y_label_formatter(&|v| whole_number(v, lang))
        .label_style(small(13))
        .axis_desc_style(small(14))
        .draw()?;
    lower.draw_series(
        weeks
            .iter()
            .zip(burnouts)
            .map(|(w, b)| Rectangle::new([(w - 0.38, 0.0), (w + 0.38, *b)], GREY.filled())),
    )?;
    Ok(())
}

/// (5) The formal waiting list per week.
fn waiting_chart(timeseries: &Table, lang: Lang) -> Result<Chart, ReportError> {
    let weeks = weeks(timeseries)?;
    let list = timeseries.numbers("waiting_list")?;
    let title = lang.pick("Waiting list for formal care", "Wachtlijst formele zorg");
    chart(
        "waiting-list",
        title,
        lang.pick(
            "Residents on a district team's waiting list at the end of each reported week, \
             after that week's assignments (timeseries.csv: waiting_list).",
            "Bewoners op de wachtlijst van een wijkteam aan het eind van elke gerapporteerde \
             week, na de toewijzingen van die week (timeseries.csv: waiting_list).",
        ),
        (WIDTH, HEIGHT),
        |root| {
            let max = list.iter().copied().fold(0.0, f64::max);
            let waiting_range = 0.0..headroom(max, 1.15).max(1.0);
            let mut chart = ChartBuilder::on(root)
                .caption(title, caption_style())
                .margin(14)
                .x_label_area_size(44)
                .y_label_area_size(72)
                .build_cartesian_2d(week_range(&weeks), waiting_range.clone())?;
            chart
                .configure_mesh()
                .max_light_lines(0)
                .bold_line_style(GRID_BOLD)
                .x_desc(lang.pick("reported week", "gerapporteerde week"))
                .y_desc(lang.pick("residents waiting", "wachtende bewoners"))
                .x_labels(whole_number_labels(&week_range(&weeks)))
                .x_label_formatter(&|v| whole_number(v, lang))
                .y_labels(whole_number_labels(&waiting_range))
                .y_label_formatter(&|v| whole_number(v, lang))
                .label_style(small(13))
                .axis_desc_style(small(14))
                .draw()?;
            let points = || weeks.iter().copied().zip(list.iter().copied());
            chart.draw_series(
                AreaSeries::new(points(), 0.0, BLUE.mix(0.18)).border_style(BLUE.stroke_width(2)),
            )?;
            Ok(())
        },
    )
}

/// Each neighbourhood's name, cohesion and neighbour hours per resident, on
/// long-term needs and on emergencies.
struct NeighbourHelp {
    names: Vec<String>,
    cohesion: Vec<f64>,
    long_term: Vec<f64>,
    emergency: Vec<f64>,
}

impl NeighbourHelp {
    fn read(neighbourhoods: &Table) -> Result<NeighbourHelp, ReportError> {
        let names: Vec<String> = (0..neighbourhoods.rows.len())
            .map(|r| neighbourhoods.text(r, "neighbourhood").map(str::to_string))
            .collect::<Result<_, _>>()?;
        let residents = neighbourhoods.numbers("residents")?;
        let per_resident = |column: &str| -> Result<Vec<f64>, ReportError> {
            Ok(neighbourhoods
                .numbers(column)?
                .iter()
                .zip(&residents)
                .map(|(h, r)| if *r > 0.0 { h / r } else { 0.0 })
                .collect())
        };
        Ok(NeighbourHelp {
            names,
            cohesion: neighbourhoods.numbers("cohesion")?,
            long_term: per_resident("neighbour_hours_long_term")?,
            emergency: per_resident("neighbour_hours_emergency")?,
        })
    }
}

/// (6) Neighbour help per resident against cohesion, per neighbourhood.
fn cohesion_chart(neighbourhoods: &Table, lang: Lang) -> Result<Chart, ReportError> {
    let help = NeighbourHelp::read(neighbourhoods)?;
    let title = lang.pick(
        "Neighbour help and cohesion, per neighbourhood",
        "Burenhulp en samenhang, per buurt",
    );
    chart(
        "neighbour-help-by-cohesion",
        title,
        lang.pick(
            "Each neighbourhood twice: hours its residents received over neighbour ties in the \
             reported weeks, per resident, on long-term needs and on emergencies, against the \
             neighbourhood's cohesion (neighbourhoods.csv: neighbour_hours_long_term, \
             neighbour_hours_emergency, residents, cohesion).",
            "Elke buurt twee keer: de uren die haar bewoners in de gerapporteerde weken over \
             burenbanden kregen, per bewoner, bij langdurige zorgvragen en bij noodgevallen, \
             tegen de samenhang van de buurt (neighbourhoods.csv: neighbour_hours_long_term, \
             neighbour_hours_emergency, residents, cohesion).",
        ),
        (WIDTH, HEIGHT),
        |root| draw_neighbour_help(root, (title, lang), &help),
    )
}

/// Each neighbourhood's neighbour hours per resident against its cohesion,
/// long-term needs and emergencies, with its name.
fn draw_neighbour_help(
    root: &Area<'_>,
    (title, lang): (&str, Lang),
    help: &NeighbourHelp,
) -> DrawResult {
    let max = help
        .long_term
        .iter()
        .chain(&help.emergency)
        .copied()
        .fold(0.0, f64::max);
    let mut chart = ChartBuilder::on(root)
        .caption(title, caption_style())
        .margin(14)
        .margin_right(28)
        .x_label_area_size(44)
        .y_label_area_size(72)
        .build_cartesian_2d(0.0..1.0, 0.0..headroom(max, 1.3))?;
    chart
        .configure_mesh()
        .max_light_lines(0)
        .bold_line_style(GRID_BOLD)
        .x_desc(lang.pick(
            "cohesion of the neighbourhood (0–1)",
            "samenhang van de buurt (0–1)",
        ))
        .y_desc(lang.pick("neighbour hours per resident", "burenuren per bewoner"))
        .x_label_formatter(&|v| lang.decimal(*v, 1))
        .y_label_formatter(&ticks(headroom(max, 1.3), lang))
        .label_style(small(13))
        .axis_desc_style(small(14))
        .draw()?;
    let points = |values: &[f64]| -> Vec<(f64, f64)> {
        help.cohesion
            .iter()
            .copied()
            .zip(values.iter().copied())
            .collect()
    };
    chart
        .draw_series(
            points(&help.long_term)
                .into_iter()
                .map(|p| Circle::new(p, 6, BLUE.filled())),
        )?
        .label(lang.pick("long-term needs", "langdurige zorgvragen"))
        .legend(|(x, y)| Circle::new((x + 7, y), 5, BLUE.filled()));
    chart
        .draw_series(
            points(&help.emergency)
                .into_iter()
                .map(|p| TriangleMarker::new(p, 7, ORANGE.filled())),
        )?
        .label(lang.pick("emergencies", "noodgevallen"))
        .legend(|(x, y)| TriangleMarker::new((x + 7, y), 6, ORANGE.filled()));
    let tops: Vec<(f64, f64)> = help
        .cohesion
        .iter()
        .zip(help.long_term.iter().zip(&help.emergency))
        .map(|(x, (l, e))| (*x, l.max(*e)))
        .collect();
    let markers: Vec<(f64, f64)> = points(&help.long_term)
        .into_iter()
        .chain(points(&help.emergency))
        .collect();
    draw_names(&mut chart, &tops, &markers, &help.names, headroom(max, 1.3))?;
    draw_legend(&mut chart)
}

/// Each name beside its point, moved up a line while it would overlap a name
/// already placed or a marker (`markers`: every point drawn; `y_top`: the top
/// of the y axis).
fn draw_names<'a, 'b: 'a, X: Ranged<ValueType = f64>, Y: Ranged<ValueType = f64>>(
    chart: &mut ChartContext<'a, SVGBackend<'b>, Cartesian2d<X, Y>>,
    points: &[(f64, f64)],
    markers: &[(f64, f64)],
    names: &[String],
    y_top: f64,
) -> DrawResult {
    let (x_pixels, y_pixels) = chart.plotting_area().dim_in_pixel();
    let plot = (x_pixels as f64, y_pixels as f64, y_top);
    let placed = place_labels(points, markers, names, plot);
    chart.draw_series(placed.into_iter().zip(names).map(|(label, name)| {
        let (side, dx) = if label.left {
            (HPos::Right, -GAP as i32)
        } else {
            (HPos::Left, GAP as i32)
        };
        let style = small(12).pos(Pos::new(side, VPos::Center));
        EmptyElement::at(label.point) + Text::new(name.clone(), (dx, -label.lift), style)
    }))?;
    Ok(())
}

/// Pixels between a point and its name.
const GAP: f64 = 9.0;

/// Where a point's name goes: `lift` pixels up, on its right or its left.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Label {
    point: (f64, f64),
    lift: i32,
    left: bool,
}

/// Places the labels at `points` (x in 0–1, y in 0–`y_top`) on a plot of
/// `width` × `height` pixels so that no two labels overlap and no label runs
/// through a marker of `markers`: right of the point, else left of it, else a
/// line higher (QA 32: in linders-drents-dorp "Centrum", at cohesion 0.30, ran
/// through Woensel-Zuid's dot at 0.35).
fn place_labels(
    points: &[(f64, f64)],
    markers: &[(f64, f64)],
    names: &[String],
    (width, height, y_top): (f64, f64, f64),
) -> Vec<Label> {
    const LINE: f64 = 15.0;
    // The largest marker's half size (the triangle's 7 px).
    const MARKER: f64 = 7.0;
    let pixel = |p: &(f64, f64)| (p.0 * width, height - p.1 / y_top * height);
    let markers: Vec<(f64, f64)> = markers.iter().map(pixel).collect();
    let mut boxes: Vec<(f64, f64, f64)> = Vec::new(); // left, right, centre y in pixels
    let mut out = Vec::new();
    for (point, name) in points.iter().zip(names) {
        let (x, base) = pixel(point);
        let text = 7.0 * name.chars().count() as f64;
        let free = |(left, right): (f64, f64), y: f64| {
            !boxes
                .iter()
                .any(|(l, r, ly)| left < *r && *l < right && (y - ly).abs() < LINE)
                && !markers.iter().any(|(mx, my)| {
                    left < mx + MARKER
                        && mx - MARKER < right
                        && (y - my).abs() < LINE / 2.0 + MARKER
                })
        };
        let right_side = (x + GAP, x + GAP + text);
        let left_side = (x - GAP - text, x - GAP);
        let mut lift = 0.0;
        let (span, left) = loop {
            let y = base - lift;
            if free(right_side, y) {
                break (right_side, false);
            }
            // Left of the point only where the name stays inside the plot.
            if left_side.0 >= 0.0 && free(left_side, y) {
                break (left_side, true);
            }
            if lift > height {
                break (right_side, false);
            }
            lift += LINE;
        };
        boxes.push((span.0, span.1, base - lift));
        out.push(Label {
            point: *point,
            lift: lift as i32,
            left,
        });
    }
    out
}

/// One variant's difference from the base with its 95% interval.
#[derive(Debug, Clone)]
struct Interval {
    variant: String,
    difference: f64,
    low: f64,
    high: f64,
    clear: bool,
}

/// (comparison) Per headline metric, every variant's difference from the base.
pub fn comparison_charts(comparison: &Table, lang: Lang) -> Result<Vec<Chart>, ReportError> {
    let base = match comparison.rows.first() {
        Some(_) => comparison.text(0, "variant")?.to_string(),
        None => return Ok(Vec::new()),
    };
    let mut charts = Vec::new();
    for metric in super::COMPARISON_METRICS {
        let mut intervals = Vec::new();
        for row in 0..comparison.rows.len() {
            if comparison.text(row, "metric")? != metric || comparison.text(row, "variant")? == base
            {
                continue;
            }
            let Some(difference) = comparison.number(row, "difference")? else {
                continue;
            };
            let low = comparison
                .number(row, "difference_ci95_low")?
                .unwrap_or(difference);
            let high = comparison
                .number(row, "difference_ci95_high")?
                .unwrap_or(difference);
            intervals.push(Interval {
                variant: comparison.text(row, "variant")?.to_string(),
                difference,
                low,
                high,
                clear: comparison.text(row, "clear_difference")? == "true",
            });
        }
        if intervals.is_empty() {
            continue;
        }
        charts.push(interval_chart(metric, &base, &intervals, lang)?);
    }
    Ok(charts)
}

/// The metrics of a comparison of projections whose difference from the base
/// is drawn year by year (yearly_comparison.csv): what the analyst of years
/// ahead asks first, unmet need, who carries it, and what it costs.
pub const YEARLY_COMPARISON_METRICS: [&str; 4] = [
    "unmet_share",
    "informal_hours",
    "carers_cbs_share",
    "formal_cost_eur",
];

/// One variant's difference from the base in one year, with its 95% interval.
#[derive(Debug, Clone, Copy)]
struct YearDifference {
    year: f64,
    difference: f64,
    low: f64,
    high: f64,
}

/// (comparison of projections) Per metric of [`YEARLY_COMPARISON_METRICS`],
/// every variant's difference from the base by year with its paired 95%
/// interval as a band; none for runs of one year.
pub fn yearly_difference_charts(yearly: &Table, lang: Lang) -> Result<Vec<Chart>, ReportError> {
    let Some(base) = yearly
        .rows
        .first()
        .map(|_| yearly.text(0, "variant"))
        .transpose()?
    else {
        return Ok(Vec::new());
    };
    let base = base.to_string();
    let short_years = years_shorter_than_a_year(yearly, &base)?;
    let labels = YearLabels::of(yearly, lang)?;
    let mut charts = Vec::new();
    for metric in YEARLY_COMPARISON_METRICS {
        // A year's hours and euros grow with its weeks: a last year of a few
        // weeks would show as a fall.
        let totals = metric_of(metric).is_some_and(|m| m.per_capita);
        let mut variants: Vec<(String, Vec<YearDifference>)> = Vec::new();
        for row in 0..yearly.rows.len() {
            let variant = yearly.text(row, "variant")?;
            if yearly.text(row, "metric")? != metric || variant == base {
                continue;
            }
            let (Some(year), Some(difference)) = (
                yearly.number(row, "year")?,
                yearly.number(row, "difference")?,
            ) else {
                continue;
            };
            if totals && short_years.contains(&year) {
                continue;
            }
            let point = YearDifference {
                year,
                difference,
                low: yearly
                    .number(row, "difference_ci95_low")?
                    .unwrap_or(difference),
                high: yearly
                    .number(row, "difference_ci95_high")?
                    .unwrap_or(difference),
            };
            match variants.iter_mut().find(|(name, _)| name == variant) {
                Some((_, points)) => points.push(point),
                None => variants.push((variant.to_string(), vec![point])),
            }
        }
        if variants.iter().any(|(_, points)| points.len() > 1) {
            charts.push(yearly_difference_chart(metric, &base, &variants, &labels)?);
        }
    }
    Ok(charts)
}

/// The years of a comparison that have fewer than 52 reported weeks (a run's
/// last year), from the base's rows of the metric `weeks`.
fn years_shorter_than_a_year(yearly: &Table, base: &str) -> Result<Vec<f64>, ReportError> {
    let mut short = Vec::new();
    for row in 0..yearly.rows.len() {
        if yearly.text(row, "metric")? != "weeks" || yearly.text(row, "variant")? != base {
            continue;
        }
        if let (Some(year), Some(weeks)) =
            (yearly.number(row, "year")?, yearly.number(row, "mean")?)
            && weeks < f64::from(crate::model::demography::YEAR_WEEKS)
        {
            short.push(year);
        }
    }
    Ok(short)
}

/// Colours of the variants in a chart of several, in order (the Okabe–Ito
/// palette the other charts use).
const VARIANT_COLOURS: [RGBColor; 6] = [BLUE, VERMILLION, GREEN, ORANGE, PURPLE, SKY_BLUE];

fn yearly_difference_chart(
    metric: &str,
    base: &str,
    variants: &[(String, Vec<YearDifference>)],
    labels: &YearLabels,
) -> Result<Chart, ReportError> {
    let lang = labels.lang;
    let (label, factor, unit) = difference_unit(metric, lang);
    let unit = match metric_of(metric).map(|m| m.unit) {
        Some(Unit::Hours) => lang.pick("hours in the year", "uren in het jaar"),
        _ => unit,
    };
    let difference = lang.pick("difference from", "verschil met");
    let by_year = lang.pick("by year", "per jaar");
    let title = capitalised(&format!("{label} {by_year}: {difference} {base}"));
    let y_desc = if unit.is_empty() {
        format!("{difference} {base}")
    } else {
        format!("{difference} {base}, {unit}")
    };
    let points = || variants.iter().flat_map(|(_, points)| points.iter());
    let first = points().map(|p| p.year).fold(f64::INFINITY, f64::min);
    let last = points().map(|p| p.year).fold(f64::NEG_INFINITY, f64::max);
    let (first, last) = (first, last.max(first + 1.0));
    let (lo, hi) = difference_range(points().map(|p| (p.low, p.high)), factor);
    let pad = (hi - lo) * 0.1;
    let is_hours = unit.starts_with("hours") || unit.starts_with("uren");
    chart(
        &format!("yearly-difference-{}", metric.replace('_', "-")),
        &title,
        &yearly_difference_note(metric, label.as_str(), base, lang),
        (WIDTH, HEIGHT),
        |root| {
            let mut chart = ChartBuilder::on(root)
                .caption(&title, caption_style())
                .margin(14)
                .margin_right(30)
                .x_label_area_size(44)
                .y_label_area_size(90)
                .build_cartesian_2d(first..last, (lo - pad)..(hi + 2.5 * pad))?;
            let y_format = difference_ticks(hi - lo, is_hours, lang);
            chart
                .configure_mesh()
                .max_light_lines(0)
                .bold_line_style(GRID_BOLD)
                .x_desc(lang.pick("year", "jaar"))
                .y_desc(y_desc.as_str())
                .x_labels(whole_number_labels(&(first..last)))
                .x_label_formatter(&|v| labels.label(*v))
                .y_label_formatter(&y_format)
                .label_style(small(13))
                .axis_desc_style(small(14))
                .draw()?;
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(first, 0.0), (last, 0.0)],
                INK.stroke_width(1),
            )))?;
            draw_year_differences(&mut chart, variants, factor)?;
            draw_legend(&mut chart)?;
            Ok(())
        },
    )
}

fn yearly_difference_note(metric: &str, label: &str, base: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "Each variant's mean difference in {label} from the base variant {base}, \
             year by year over paired replicates (line), with its 95% interval (band); \
             where the band covers the zero line the year's difference is not clear \
             (yearly_comparison.csv: {metric}). Hours and euros are each year's totals; \
             a last year of fewer than 52 reported weeks is left out of them."
        ),
        Lang::Nl => format!(
            "Het gemiddelde verschil in {label} van elke variant met de basisvariant \
             {base}, jaar voor jaar over gepaarde replicaties (lijn), met het 95%-interval \
             (band); waar de band de nullijn bedekt, is het verschil in dat jaar niet \
             duidelijk (yearly_comparison.csv: {metric}). Uren en euro's zijn totalen per \
             jaar; een laatste jaar van minder dan 52 gerapporteerde weken staat er niet in."
        ),
    }
}

/// Each variant's difference from the base by year: its line and its 95%
/// interval's band.
fn draw_year_differences<'a, 'b: 'a, X: Ranged<ValueType = f64>, Y: Ranged<ValueType = f64>>(
    chart: &mut ChartContext<'a, SVGBackend<'b>, Cartesian2d<X, Y>>,
    variants: &[(String, Vec<YearDifference>)],
    factor: f64,
) -> DrawResult {
    for (i, (name, points)) in variants.iter().enumerate() {
        let colour = VARIANT_COLOURS[i % VARIANT_COLOURS.len()];
        let band: Vec<(f64, f64)> = points
            .iter()
            .map(|p| (p.year, p.low * factor))
            .chain(points.iter().rev().map(|p| (p.year, p.high * factor)))
            .collect();
        chart.draw_series(std::iter::once(Polygon::new(band, colour.mix(0.15))))?;
        let line: Vec<(f64, f64)> = points
            .iter()
            .map(|p| (p.year, p.difference * factor))
            .collect();
        chart
            .draw_series(LineSeries::new(line, colour.stroke_width(3)))?
            .label(name.as_str())
            .legend(legend_rect(colour));
    }
    Ok(())
}

/// The unit of a difference in `metric`, and the factor from the CSV value to it.
fn difference_unit(metric: &str, lang: Lang) -> (String, f64, &'static str) {
    let Some(m) = metric_of(metric) else {
        return (metric.to_string(), 1.0, "");
    };
    let factor = if m.unit == Unit::Share { 100.0 } else { 1.0 };
    let label = match lang {
        Lang::En => m.short_label(),
        Lang::Nl => m.label_nl.split(',').next().unwrap_or(m.label_nl),
    };
    (label.to_string(), factor, unit_of_difference(m.unit, lang))
}

/// [`Unit::of_difference`] in `lang`.
fn unit_of_difference(unit: Unit, lang: Lang) -> &'static str {
    match (lang, unit) {
        (Lang::En, _) => unit.of_difference(),
        (Lang::Nl, Unit::Share) => "procentpunten",
        (Lang::Nl, Unit::Hours) => "uren in de gerapporteerde weken",
        (Lang::Nl, Unit::HoursAWeek) => "uren per week",
        (Lang::Nl, Unit::Index) => "belasting (0–1)",
        (Lang::Nl, Unit::Times) => "keren",
        (Lang::Nl, Unit::Weeks) => "weken",
        (Lang::Nl, Unit::Residents) => "bewoners",
        (Lang::Nl, Unit::Euro) => "euro",
        (Lang::Nl, Unit::Events) => "",
    }
}

/// `text` with its first letter a capital, as a title starts.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn interval_chart(
    metric: &str,
    base: &str,
    intervals: &[Interval],
    lang: Lang,
) -> Result<Chart, ReportError> {
    let (label, factor, unit) = difference_unit(metric, lang);
    let difference = lang.pick("difference from", "verschil met");
    // The label starts a sentence here (QA 30: "unmet need share: ...").
    let title = capitalised(&format!("{label}: {difference} {base}"));
    let x_desc = if unit.is_empty() {
        format!("{difference} {base}")
    } else {
        format!("{difference} {base}, {unit}")
    };
    let n = intervals.len();
    let height = 170 + 56 * n as u32;
    let (lo, hi) = difference_range(intervals.iter().map(|i| (i.low, i.high)), factor);
    let pad = (hi - lo) * 0.08;
    let names: Vec<String> = intervals.iter().map(|i| i.variant.clone()).collect();
    let is_hours = unit.starts_with("hours") || unit.starts_with("uren");
    // Variant i sits at y = n - 1 - i (the first at the top). The y axis asks for
    // ticks every half unit and names only the whole ones.
    let y_of = |i: usize| (n - 1 - i) as f64;
    chart(
        &format!("difference-{}", metric.replace('_', "-")),
        &title,
        &match lang {
            Lang::En => format!(
                "Mean difference in {label} from the base variant {base} over paired \
                 replicates (dot) with its 95% interval (whiskers); a filled blue dot is a \
                 clear difference (the interval excludes zero), a hollow grey one is not \
                 (comparison.csv: {metric})."
            ),
            Lang::Nl => format!(
                "Gemiddeld verschil in {label} met de basisvariant {base} over gepaarde \
                 replicaties (stip), met het 95%-interval (de lijn); een gevulde blauwe stip \
                 is een duidelijk verschil (het interval sluit nul uit), een open grijze niet \
                 (comparison.csv: {metric})."
            ),
        },
        (WIDTH, height),
        |root| {
            let mut chart = ChartBuilder::on(root)
                .caption(&title, caption_style())
                .margin(14)
                .margin_right(30)
                .x_label_area_size(44)
                .y_label_area_size(150)
                .build_cartesian_2d((lo - pad)..(hi + pad), -0.6..(n as f64 - 0.4))?;
            let label = variant_at(&names);
            let x_format = difference_ticks(hi - lo, is_hours, lang);
            chart
                .configure_mesh()
                .disable_y_mesh()
                .max_light_lines(0)
                .bold_line_style(GRID_BOLD)
                .x_desc(x_desc.as_str())
                .x_labels(6)
                .x_label_formatter(&x_format)
                .y_labels(2 * n + 1)
                .set_tick_mark_size(LabelAreaPosition::Left, 6)
                .y_label_formatter(&label)
                .label_style(small(13))
                .axis_desc_style(small(14))
                .draw()?;
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(0.0, -0.6), (0.0, n as f64 - 0.4)],
                INK.stroke_width(1),
            )))?;
            for (i, interval) in intervals.iter().enumerate() {
                draw_interval(&mut chart, y_of(i), interval, factor)?;
            }
            Ok(())
        },
    )
}

/// The y axis's names of a difference chart: variant i at y = n - 1 - i, named
/// only at whole ticks.
fn variant_at(names: &[String]) -> impl Fn(&f64) -> String + '_ {
    let n = names.len();
    move |v: &f64| {
        let whole = v.round();
        if (v - whole).abs() > 1e-6 || whole < 0.0 {
            return String::new();
        }
        n.checked_sub(1 + whole as usize)
            .and_then(|i| names.get(i))
            .cloned()
            .unwrap_or_default()
    }
}

/// The x axis's numbers of a difference chart over `span`: whole hours with
/// thousands separators, other units as [`ticks`] with a plain 0.
fn difference_ticks(span: f64, is_hours: bool, lang: Lang) -> impl Fn(&f64) -> String {
    let plain = ticks(span, lang);
    move |v: &f64| {
        if is_hours {
            lang.thousands(*v)
        } else {
            let text = plain(v);
            if text.trim_start_matches(['−', '0', '.', ',']).is_empty() {
                "0".into()
            } else {
                text
            }
        }
    }
}

/// The axis of a difference chart over the intervals' `bounds` (low, high)
/// and zero; a unit-wide axis around zero when all differences are zero (a
/// metric no variant moves).
fn difference_range(bounds: impl Iterator<Item = (f64, f64)> + Clone, factor: f64) -> (f64, f64) {
    let lo = bounds
        .clone()
        .map(|(low, _)| low * factor)
        .fold(0.0, f64::min);
    let hi = bounds.map(|(_, high)| high * factor).fold(0.0, f64::max);
    if hi - lo > 1e-12 {
        (lo, hi)
    } else {
        (-0.5, 0.5)
    }
}

/// One variant's difference at height `y`: whiskers for the 95% interval, a
/// filled blue dot when the difference is clear, a hollow grey one when not.
fn draw_interval<'a, 'b: 'a, X: Ranged<ValueType = f64>, Y: Ranged<ValueType = f64>>(
    chart: &mut ChartContext<'a, SVGBackend<'b>, Cartesian2d<X, Y>>,
    y: f64,
    interval: &Interval,
    factor: f64,
) -> DrawResult {
    let color = if interval.clear { BLUE } else { GREY };
    let (low, mid, high) = (
        interval.low * factor,
        interval.difference * factor,
        interval.high * factor,
    );
    let whisker = color.stroke_width(2);
    chart.draw_series([PathElement::new(vec![(low, y), (high, y)], whisker)])?;
    chart.draw_series([low, high].map(|end| {
        EmptyElement::at((end, y)) + PathElement::new(vec![(0, -8), (0, 8)], whisker)
    }))?;
    let fill = if interval.clear { color } else { WHITE };
    chart.draw_series([Circle::new((mid, y), 6, fill.filled())])?;
    chart.draw_series([Circle::new((mid, y), 6, color.stroke_width(2))])?;
    Ok(())
}

/// (7) Who gives care at which age: the run's CBS carers as a share of each age
/// band against CBS's rates (Appendix B's age profile). `None` for a folder from
/// before summary.csv had the rates.
fn carer_age_chart(summary: &Table, lang: Lang) -> Result<Option<Chart>, ReportError> {
    let columns: Vec<String> = CarerAgeBand::ALL
        .iter()
        .map(|band| format!("cbs_carer_rate_aged_{band}"))
        .collect();
    if summary.column(&columns[0]).is_err() {
        return Ok(None);
    }
    let model = columns
        .iter()
        .map(|column| Ok(summary.number(0, column)?.map(|rate| 100.0 * rate)))
        .collect::<Result<Vec<Option<f64>>, ReportError>>()?;
    let survey: Vec<Option<f64>> = CBS_CARER_RATE_BY_AGE
        .iter()
        .map(|rate| Some(100.0 * rate))
        .collect();
    let names: Vec<String> = CarerAgeBand::ALL.iter().map(ToString::to_string).collect();
    let title = lang.pick(
        "Who gives care at which age, against CBS",
        "Wie zorgt op welke leeftijd, naast het CBS",
    );
    let note = carer_age_note(lang);
    let max = model
        .iter()
        .chain(&survey)
        .flatten()
        .copied()
        .fold(0.0, f64::max);
    let top = headroom(max, 1.3);
    chart("carers-by-age", title, &note, (WIDTH, HEIGHT), |root| {
        draw_carer_ages(root, (title, lang), &names, (&model, &survey), top)
    })
    .map(Some)
}

fn carer_age_note(lang: Lang) -> String {
    let source = cbs_carer_rate_source(lang);
    match lang {
        Lang::En => format!(
            "The share of the run's residents in each age band who are carers in CBS's sense \
             (care to one person in 13 or more weeks, or 8 or more hours a week), from \
             summary.csv's cbs_carer_rate_aged_<band>, beside the same share among Dutch \
             adults from the {source}: a band is the mean of CBS's two \
             five-year groups, 18–24 is CBS's 20–24 and 85+ about 10%. CBS finds the most \
             carers at 55–64; where the run's bars rise with age, its carers are too often \
             old partners (docs/ODD.md §1.3)."
        ),
        Lang::Nl => format!(
            "Het deel van de bewoners in elke leeftijdsgroep dat mantelzorger is zoals het \
             CBS telt (zorg aan één persoon in 13 of meer weken, of 8 of meer uur per week), \
             uit cbs_carer_rate_aged_<band> in summary.csv, naast hetzelfde deel onder \
             Nederlandse volwassenen volgens {source}: een groep is het \
             gemiddelde van twee vijfjaarsgroepen van het CBS, 18–24 is 20–24 van het CBS en \
             85+ ongeveer 10%. Het CBS vindt de meeste mantelzorgers op 55–64; waar de balken \
             van de run met de leeftijd stijgen, zijn de mantelzorgers te vaak oude partners \
             (docs/ODD.md §1.3)."
        ),
    }
}

/// The run's and CBS's bars of carers by age band, side by side.
fn draw_carer_ages(
    root: &Area<'_>,
    (title, lang): (&str, Lang),
    names: &[String],
    (model, survey): (&[Option<f64>], &[Option<f64>]),
    top: f64,
) -> DrawResult {
    let n = names.len() as i32;
    let mut chart = ChartBuilder::on(root)
        .caption(title, caption_style())
        .margin(14)
        .margin_right(28)
        .x_label_area_size(44)
        .y_label_area_size(72)
        .build_cartesian_2d((0..n - 1).into_segmented(), 0.0..top)?;
    let label = |v: &SegmentValue<i32>| match v {
        SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => {
            names.get(*i as usize).cloned().unwrap_or_default()
        }
        SegmentValue::Last => String::new(),
    };
    chart
        .configure_mesh()
        .disable_x_mesh()
        .max_light_lines(0)
        .bold_line_style(GRID_BOLD)
        .x_desc(lang.pick("age", "leeftijd"))
        .y_desc(lang.pick(
            "carers (CBS), % of the age band",
            "mantelzorgers (CBS), % van de groep",
        ))
        .x_labels(names.len())
        .x_label_formatter(&label)
        .y_label_formatter(&ticks(top, lang))
        .label_style(small(13))
        .axis_desc_style(small(14))
        .draw()?;
    for (values, color, name, left) in [
        (&model, BLUE, lang.pick("this run", "deze run"), true),
        (&survey, GREY, "CBS 2022", false),
    ] {
        chart
            .draw_series(values.iter().enumerate().filter_map(|(i, v)| {
                let mut bar = Rectangle::new(
                    [
                        (SegmentValue::Exact(i as i32), 0.0),
                        (SegmentValue::Exact(i as i32 + 1), (*v)?),
                    ],
                    color.filled(),
                );
                // Two bars side by side in each band's segment.
                let (l, r) = if left { (12, 44) } else { (44, 12) };
                bar.set_margin(0, 0, l, r);
                Some(bar)
            }))?
            .label(name)
            .legend(legend_rect(color));
    }
    draw_legend(&mut chart)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// QA 38: the comparison charts' captions named the metric by its column
    /// ("Mean difference of unmet_share from the base"), where the chart's
    /// title had its words; the column now only says where the numbers are.
    #[test]
    fn difference_captions_name_the_metric_in_words() {
        let interval = Interval {
            variant: "respite".into(),
            difference: -0.01,
            low: -0.02,
            high: 0.0,
            clear: false,
        };
        let english = interval_chart(
            "unmet_share",
            "base",
            std::slice::from_ref(&interval),
            Lang::En,
        )
        .expect("a chart");
        assert!(
            english
                .note
                .starts_with("Mean difference in share of need left unmet from the base"),
            "{}",
            english.note
        );
        assert!(
            english.note.ends_with("(comparison.csv: unmet_share)."),
            "{}",
            english.note
        );
        let dutch =
            interval_chart("informal_hours", "basis", &[interval], Lang::Nl).expect("a chart");
        assert!(
            dutch
                .note
                .starts_with("Gemiddeld verschil in informele hulp met de basisvariant"),
            "{}",
            dutch.note
        );
        let years = [YearDifference {
            year: 1.0,
            difference: -0.01,
            low: -0.02,
            high: 0.0,
        }];
        let labels = YearLabels {
            offset: None,
            lang: Lang::En,
        };
        let yearly = yearly_difference_chart(
            "unmet_share",
            "base",
            &[("respite".to_string(), years.to_vec())],
            &labels,
        )
        .expect("a chart");
        assert!(
            yearly
                .note
                .starts_with("Each variant's mean difference in share of need left unmet from"),
            "{}",
            yearly.note
        );
    }

    /// Session 37: a projection of 2025–2040 was charted as years 1–15, and
    /// a calendar year must not read "2,025".
    #[test]
    fn years_are_labelled_by_the_calendar_year_they_stand_for() {
        let table = |header: &[&str], rows: &[&[&str]]| Table {
            path: "yearly.csv".into(),
            header: header.iter().map(|c| c.to_string()).collect(),
            rows: rows
                .iter()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .collect(),
        };
        let labelled = table(
            &["year", "calendar_year", "weeks"],
            &[&["1", "2025", "52"], &["2", "2026", "52"]],
        );
        let labels = YearLabels::of(&labelled, Lang::Nl).expect("labels");
        assert_eq!(labels.label(1.0), "2025");
        assert_eq!(labels.label(15.0), "2039");
        assert_eq!(labels.label(1.5), "");
        let unlabelled = table(&["year", "calendar_year"], &[&["1", ""], &["2", ""]]);
        let before = table(&["year", "weeks"], &[&["1", "52"]]);
        for table in [unlabelled, before] {
            let labels = YearLabels::of(&table, Lang::En).expect("labels");
            assert_eq!(labels.label(3.0), "3");
        }
    }

    #[test]
    fn a_name_does_not_run_through_another_neighbourhoods_marker() {
        // linders-drents-dorp's neighbour hours per resident against cohesion
        // (its report's chart, 645 × 320 pixels up to 1.3 times the highest):
        // Woensel-Zuid's name went up a line off Strijp's, and Centrum's, beside
        // its dot at 0.30, ran through Woensel-Zuid's dot at 0.35.
        let names: Vec<String> = ["Drents Dorp", "Strijp", "Woensel-Zuid", "Centrum"]
            .map(String::from)
            .to_vec();
        let long_term = [(0.8, 0.4336), (0.4, 0.1854), (0.35, 0.1646), (0.3, 0.1507)];
        let emergency = [(0.8, 0.0251), (0.4, 0.0030), (0.35, 0.0083), (0.3, 0.0144)];
        let (width, height, y_top) = (645.0, 320.0, 0.4336 * 1.3);
        let markers: Vec<(f64, f64)> = long_term.iter().chain(&emergency).copied().collect();
        let placed = place_labels(&long_term, &markers, &names, (width, height, y_top));
        let pixel = |p: (f64, f64)| (p.0 * width, height - p.1 / y_top * height);
        let spans: Vec<(f64, f64, f64)> = placed
            .iter()
            .zip(&names)
            .map(|(label, name)| {
                let (x, y) = pixel(label.point);
                let text = 7.0 * name.len() as f64;
                let left = if label.left { x - 9.0 - text } else { x + 9.0 };
                (left, left + text, y - f64::from(label.lift))
            })
            .collect();
        for ((left, right, y), name) in spans.iter().zip(&names) {
            for marker in &markers {
                let (mx, my) = pixel(*marker);
                assert!(
                    !(*left < mx + 7.0 && mx - 7.0 < *right && (y - my).abs() < 14.5),
                    "{name} ({left:.0}–{right:.0} px at {y:.0}) crosses the marker at {marker:?}"
                );
            }
        }
        for (i, a) in spans.iter().enumerate() {
            for (b, name) in spans.iter().zip(&names).skip(i + 1) {
                assert!(
                    !(a.0 < b.1 && b.0 < a.1 && (a.2 - b.2).abs() < 15.0),
                    "{name} overlaps {}",
                    names[i]
                );
            }
        }
        // Each name stays within two lines of its point.
        assert!(placed.iter().all(|l| l.lift <= 30), "{placed:?}");
    }
}
