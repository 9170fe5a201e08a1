//! What each chart draws: axes with units, legends, hover points inside
//! the picture, readable ticks, the themes, escaping, empty data and PNG.

use herald_charts::{png, svg, svg_file, Bucket, ChartError, HoverPoint, Size, Theme};

use crate::helpers::*;

fn size() -> Size {
    Size::new(800, 320).unwrap()
}

fn has(texts: &[String], wanted: &str) -> bool {
    texts.iter().any(|t| t == wanted)
}

/// Hover points are on the picture, right of the value axis' labels and
/// above the time axis' labels.
fn assert_inside(points: &[HoverPoint], width: f64, height: f64) {
    for p in points {
        assert!(p.x > 30.0 && p.x < width - 8.0, "{p:?}");
        assert!(p.y > 8.0 && p.y < height - 40.0, "{p:?}");
    }
}

#[test]
fn engagement_has_a_legend_axis_units_and_time_labels_in_the_zone() {
    let chart = svg(&engagement(Bucket::Hour, 72), Theme::Light, size()).unwrap();
    let texts = texts(&chart.svg);
    for wanted in [
        "Opens",
        "Clicks",
        "Opens and clicks per hour",
        "Time (Europe/Paris)",
    ] {
        assert!(has(&texts, wanted), "{wanted:?} missing from {texts:?}");
    }
    assert!(texts.iter().any(|t| t.starts_with("Tue ")), "{texts:?}");
    assert!(chart.svg.starts_with("<svg width=\"100%\" height=\"100%\""));
    assert!(chart.svg.contains("viewBox=\"0 0 800 320\""));
}

#[test]
fn hourly_and_daily_series_are_labelled_with_their_bucket() {
    let hourly = svg(&engagement(Bucket::Hour, 24), Theme::Light, size()).unwrap();
    assert_eq!(hourly.bucket, Some(Bucket::Hour));
    assert_eq!(hourly.points[0].label, "Tue 3 Nov, 00:00");
    assert!(has(&texts(&hourly.svg), "Opens and clicks per hour"));

    let daily = svg(&engagement(Bucket::Day, 40), Theme::Light, size()).unwrap();
    assert_eq!(daily.bucket, Some(Bucket::Day));
    assert_eq!(daily.points[1].label, "Wed 4 Nov 2026");
    assert!(has(&texts(&daily.svg), "Opens and clicks per day"));
}

#[test]
fn engagement_has_a_hover_point_per_bucket_and_series_inside_the_plot() {
    let chart = svg(&engagement(Bucket::Hour, 24), Theme::Light, size()).unwrap();
    assert_eq!(chart.points.len(), 48);
    assert_inside(&chart.points, 800.0, 320.0);
    let opens: Vec<&HoverPoint> = chart
        .points
        .iter()
        .filter(|p| p.series == "Opens")
        .collect();
    assert_eq!(opens.len(), 24);
    assert!(
        opens.windows(2).all(|w| w[0].x < w[1].x),
        "left to right in time"
    );
    // Bucket 6 has 18 opens, bucket 7 none: higher on screen is smaller y.
    assert!(opens[6].y < opens[7].y);
    assert_eq!(opens[6].value, "18 opens");
    assert_eq!(opens[1].value, "3 opens");
    assert_eq!(opens[6].color, "#4c6ef5");
}

/// The x positions of the time axis' tick labels (the row of texts that
/// shares the largest y below the plot), with the widest label's length.
fn tick_row(svg: &str) -> (Vec<f64>, usize) {
    let doc = roxmltree::Document::parse(svg).unwrap();
    let mut rows: std::collections::BTreeMap<i64, Vec<(f64, usize)>> = Default::default();
    for n in doc.descendants().filter(|n| n.has_tag_name("text")) {
        if n.attribute("transform").is_some() || n.attribute("text-anchor") != Some("middle") {
            continue;
        }
        let x: f64 = n.attribute("x").unwrap().parse().unwrap();
        let y: i64 = n.attribute("y").unwrap().parse().unwrap();
        let len = n.text().unwrap_or_default().trim().chars().count();
        rows.entry(y).or_default().push((x, len));
    }
    let row = rows.into_values().max_by_key(Vec::len).unwrap();
    let widest = row.iter().map(|r| r.1).max().unwrap();
    (row.into_iter().map(|r| r.0).collect(), widest)
}

#[test]
fn time_labels_never_overlap_even_on_a_narrow_chart() {
    for (bucket, n, width) in [
        (Bucket::Hour, 168, 260),
        (Bucket::Hour, 168, 1200),
        (Bucket::Day, 3_000, 300),
        (Bucket::Day, 60, 500),
    ] {
        let chart = svg(
            &engagement(bucket, n),
            Theme::Light,
            Size::new(width, 300).unwrap(),
        )
        .unwrap();
        let (xs, widest) = tick_row(&chart.svg);
        assert!(xs.len() >= 2, "{bucket:?} {n} at {width}: {xs:?}");
        // About 7 px a character at the label size.
        let room = widest as f64 * 7.0;
        assert!(
            xs.windows(2).all(|w| w[1] - w[0] >= room),
            "{bucket:?} {n} at {width}: labels {xs:?} closer than {room}"
        );
    }
}

#[test]
fn no_time_label_runs_past_the_right_edge() {
    // The last bucket is a midnight (97, 121) or a 06:00 (103): a tick of
    // its own, centred on the plot's right end.
    for (n, width) in [(97, 900), (103, 600), (121, 1200), (97, 400)] {
        let chart = svg(
            &engagement(Bucket::Hour, n),
            Theme::Light,
            Size::new(width, 300).unwrap(),
        )
        .unwrap();
        let (xs, widest) = tick_row(&chart.svg);
        // About 7 px a character at the label size: half a label each side.
        let half = widest as f64 * 7.0 / 2.0;
        let last = xs.iter().cloned().fold(0.0, f64::max);
        assert!(
            last + half <= f64::from(width),
            "{n} hours at {width}: a label centred at {last} runs past the edge"
        );
    }
}

#[test]
fn light_and_dark_themes_use_their_own_text_and_background_colours() {
    let data = engagement(Bucket::Hour, 24);
    let light = svg(&data, Theme::Light, size()).unwrap().svg;
    let dark = svg(&data, Theme::Dark, size()).unwrap().svg;
    assert!(light.contains("#212529") && !light.contains("#C9CCD6"));
    assert!(dark.contains("#C9CCD6") && !dark.contains("#212529"));
    let first_pixel = |theme| {
        let bytes = png(&data, theme, size()).unwrap();
        let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
            .read_info()
            .unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        reader.next_frame(&mut buf).unwrap();
        buf[..3].to_vec()
    };
    assert_eq!(first_pixel(Theme::Light), vec![0xff, 0xff, 0xff]);
    assert_eq!(first_pixel(Theme::Dark), vec![0x1b, 0x1d, 0x27]);
}

#[test]
fn a_campaign_name_with_markup_is_escaped_in_the_svg() {
    let chart = svg(
        &overlay(&["Spring", "<script>&\""], 24),
        Theme::Light,
        size(),
    )
    .unwrap();
    assert!(!chart.svg.contains("<script>"));
    assert!(chart.svg.contains("&lt;script&gt;&amp;&quot;"));
    assert!(
        has(&texts(&chart.svg), "<script>&\""),
        "the XML reads back as the name"
    );
}

#[test]
fn comparison_has_a_legend_per_campaign_and_a_colour_each() {
    let names = ["A", "B", "C", "D", "E"];
    let chart = svg(&overlay(&names, 48), Theme::Dark, size()).unwrap();
    let texts = texts(&chart.svg);
    for wanted in names
        .iter()
        .copied()
        .chain(["Opens per hour", "Hours since send", "0 h"])
    {
        assert!(has(&texts, wanted), "{wanted:?} missing from {texts:?}");
    }
    let mut colours: Vec<&str> = chart.points.iter().map(|p| p.color.as_str()).collect();
    colours.sort();
    colours.dedup();
    assert_eq!(colours.len(), 5);
    assert_eq!(chart.points.len(), 5 * 48);
    assert_inside(&chart.points, 800.0, 320.0);
    assert_eq!(chart.bucket, None);
}

#[test]
fn funnel_shows_each_step_with_its_share_of_the_step_before() {
    let chart = svg(&funnel([1000, 950, 400, 120]), Theme::Light, size()).unwrap();
    let texts = texts(&chart.svg);
    for wanted in [
        "Sent",
        "Delivered",
        "Opened",
        "Clicked",
        "People",
        "950 · 95.0 %",
        // Opened of delivered and clicked of opened: the report's open
        // rate and click-to-open.
        "400 · 42.1 %",
        "120 · 30.0 %",
    ] {
        assert!(has(&texts, wanted), "{wanted:?} missing from {texts:?}");
    }
    assert_eq!(chart.points.len(), 4);
    assert_eq!(chart.points[1].value, "950 people · 95.0 % of sent");
    assert_eq!(chart.points[2].value, "400 people · 42.1 % of delivered");
    assert_eq!(chart.points[3].value, "120 people · 30.0 % of opened");
    assert_eq!(chart.points[0].value, "1000 people");
    assert_inside(&chart.points, 800.0, 320.0);
    assert!(
        chart.points[0].y < chart.points[3].y,
        "the sent bar is the tallest"
    );
}

#[test]
fn growth_shows_weekly_bars_and_the_net_line() {
    let chart = svg(&growth(12), Theme::Light, size()).unwrap();
    let texts = texts(&chart.svg);
    for wanted in [
        "Subscribed",
        "Unsubscribed",
        "Net",
        "People per week",
        "7 Sep",
    ] {
        assert!(has(&texts, wanted), "{wanted:?} missing from {texts:?}");
    }
    assert_eq!(chart.points.len(), 36);
    let net = chart
        .points
        .iter()
        .find(|p| p.series == "Net" && p.label.contains("14 Sep"))
        .unwrap();
    assert_eq!(net.value, "net +1");
    assert_eq!(net.label, "Week of Mon 14 Sep 2026");
    assert_inside(&chart.points, 800.0, 320.0);
}

#[test]
fn empty_data_is_flagged_and_still_drawn_with_axes() {
    let mut data = series(Bucket::Hour, 24);
    data.points
        .iter_mut()
        .for_each(|p| (p.opens, p.clicks) = (0, 0));
    let chart = svg(
        &herald_charts::ChartData::Engagement(data),
        Theme::Light,
        size(),
    )
    .unwrap();
    assert!(chart.empty);
    assert!(has(&texts(&chart.svg), "Opens and clicks per hour"));
    assert!(svg(&funnel([0; 4]), Theme::Light, size()).unwrap().empty);
    assert!(
        !svg(&funnel([1, 0, 0, 0]), Theme::Light, size())
            .unwrap()
            .empty
    );
}

#[test]
fn png_has_the_signature_and_the_asked_size() {
    for data in [
        engagement(Bucket::Day, 30),
        funnel([5, 4, 3, 2]),
        overlay(&["a", "b"], 10),
        growth(12),
    ] {
        let bytes = png(&data, Theme::Dark, Size::new(640, 200).unwrap()).unwrap();
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
        assert_eq!(png_size(&bytes), (640, 200));
    }
}

#[test]
fn an_svg_file_has_its_pixel_size_and_a_background() {
    let file = svg_file(&funnel([5, 4, 3, 2]), Theme::Dark, size()).unwrap();
    assert!(file.starts_with("<svg width=\"800\" height=\"320\""));
    assert!(file.contains("#1B1D27"));
    roxmltree::Document::parse(&file).unwrap();
}

#[test]
fn sizes_out_of_bounds_name_the_field() {
    let err = Size::new(100, 300).unwrap_err();
    assert!(
        matches!(err, ChartError::Size { field: "width", .. }),
        "{err}"
    );
    let err = Size::new(800, 5000).unwrap_err();
    assert!(
        matches!(
            err,
            ChartError::Size {
                field: "height",
                ..
            }
        ),
        "{err}"
    );
    assert!(Size::new(200, 120).is_ok() && Size::new(4000, 3000).is_ok());
}

#[test]
fn the_default_range_runs_from_the_send_to_now_within_the_longest_series() {
    use chrono::{Duration, Utc};
    use herald_charts::default_range;
    let now = Utc::now();
    let sent = now - Duration::hours(30);
    assert_eq!(default_range(Some(sent), now), (sent, now));
    assert_eq!(default_range(None, now), (now - Duration::days(7), now));
    let future = now + Duration::hours(2);
    assert_eq!(
        default_range(Some(future), now),
        (now - Duration::days(7), now)
    );
    let (from, _) = default_range(Some(now - Duration::days(20 * 366)), now);
    assert!(
        now - from <= Duration::days(3_660),
        "capped at the store's longest series"
    );
}
