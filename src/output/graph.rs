//! Graphs for Gephi, networkx and igraph: the social graph and the realised help
//! network (who helped whom, with hours), each as GraphML and as GEXF.

use std::io::Write;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use crate::engine::CareLedger;
use crate::ids::{PersonId, TieId};
use crate::kinds::TieKind;
use crate::network::{Network, tie_flags};
use crate::population::flags;
use crate::world::World;

use super::{OutputError, RunFolder};

/// An attribute column: name and type (GraphML/GEXF spelling: string, boolean,
/// double, long).
type Column = (&'static str, &'static str);

/// A graph ready to write: attribute columns, nodes and edges with values.
pub struct GraphTable {
    pub name: String,
    pub directed: bool,
    pub node_columns: Vec<Column>,
    pub nodes: Vec<(String, Vec<String>)>,
    /// Each node's home, km east and north, in the order of `nodes` (GEXF's
    /// `viz:position`, so that Gephi draws the map).
    pub positions: Vec<[f32; 2]>,
    pub edge_columns: Vec<Column>,
    /// (id, source, target, values)
    pub edges: Vec<(String, String, String, Vec<String>)>,
}

const NODE_COLUMNS: [Column; 12] = [
    ("neighbourhood", "string"),
    ("resident", "boolean"),
    ("x_km", "double"),
    ("y_km", "double"),
    ("age", "long"),
    ("age_band", "string"),
    ("sex", "string"),
    ("lives_alone", "boolean"),
    ("capacity_hours", "double"),
    ("helpfulness", "double"),
    ("ask_reluctance", "double"),
    ("formal_trust", "double"),
];

fn node(world: &World, p: usize) -> (String, Vec<String>) {
    let people = &world.people;
    let person = PersonId(p as u32);
    let home = people.neighbourhood[p];
    let neighbourhood = if home.is_outside() {
        "outside".to_string()
    } else {
        world.scenario.neighbourhoods[home.index()].name.clone()
    };
    (
        format!("p{p}"),
        vec![
            neighbourhood,
            people.is_resident(person).to_string(),
            people.position[p][0].to_string(),
            people.position[p][1].to_string(),
            people.age[p].to_string(),
            people.age_band[p].name().to_string(),
            super::residents::sex_name(people.is_woman(person)).to_string(),
            people.has_flag(person, flags::LIVES_ALONE).to_string(),
            people.capacity[p].to_string(),
            people.helpfulness[p].to_string(),
            people.ask_reluctance[p].to_string(),
            people.formal_trust[p].to_string(),
        ],
    )
}

/// What `target` is to `source` over kin tie `t` (`parent`, `child`,
/// `sibling`, `other_kin`, `parent_in_law`, `child_in_law`; docs/ODD.md
/// §7.4.1); empty for other kinds.
fn relation(world: &World, t: usize, source: PersonId, target: PersonId) -> String {
    let ties = &world.network.ties;
    if ties.kind[t] != TieKind::Kin {
        return String::new();
    }
    // The flags say what the higher-numbered end is to the lower-numbered.
    let higher_to_lower = tie_flags::relation(ties.flags[t]);
    let relation = if target > source {
        higher_to_lower
    } else {
        higher_to_lower.inverse()
    };
    relation.name().to_string()
}

/// The social graph: every person and every tie (undirected).
pub fn social_graph(world: &World) -> GraphTable {
    let ties = &world.network.ties;
    GraphTable {
        name: world.scenario.name.clone(),
        directed: false,
        node_columns: NODE_COLUMNS.to_vec(),
        nodes: (0..world.people.len()).map(|p| node(world, p)).collect(),
        positions: world.people.position.clone(),
        edge_columns: vec![
            ("kind", "string"),
            ("relation", "string"),
            ("trust", "double"),
            ("distance_km", "double"),
            ("blended", "boolean"),
        ],
        edges: world
            .network
            .tie_ends()
            .iter()
            .enumerate()
            .filter(|(_, ends)| **ends != Network::NO_ENDS)
            .map(|(t, [a, b])| {
                (
                    format!("t{t}"),
                    format!("p{a}"),
                    format!("p{b}"),
                    vec![
                        ties.kind[t].name().to_string(),
                        relation(world, t, *a, *b),
                        ties.trust(t).to_string(),
                        ties.distance_km[t].to_string(),
                        (ties.flags[t] & tie_flags::BLENDED != 0).to_string(),
                    ],
                )
            })
            .collect(),
    }
}

/// The realised help network over the reported weeks: an edge from helper to
/// receiver for every tie direction that carried care (household, informal,
/// exchange help, and residents' help to their parents outside the area), with
/// its hours and weeks; nodes are the persons involved.
pub fn help_network(world: &World, ledger: &CareLedger) -> GraphTable {
    let ties = &world.network.ties;
    let mut involved = vec![false; world.people.len()];
    let mut edges = Vec::new();
    for (t, [a, b]) in world.network.tie_ends().iter().enumerate() {
        if [*a, *b] == Network::NO_ENDS {
            continue;
        }
        for (end, (helper, receiver)) in [(*a, *b), (*b, *a)].into_iter().enumerate() {
            let Some(care) = ledger
                .direction(TieId(t as u32), end)
                .filter(|c| c.hours > 0)
            else {
                continue;
            };
            involved[helper.index()] = true;
            involved[receiver.index()] = true;
            edges.push((
                format!("t{t}d{end}"),
                format!("p{helper}"),
                format!("p{receiver}"),
                vec![
                    ties.kind[t].name().to_string(),
                    relation(world, t, helper, receiver),
                    crate::hours::HoursTotal(care.hours).to_string(),
                    care.weeks.to_string(),
                ],
            ));
        }
    }
    GraphTable {
        name: format!("{}-help", world.scenario.name),
        directed: true,
        node_columns: NODE_COLUMNS.to_vec(),
        nodes: (0..world.people.len())
            .filter(|p| involved[*p])
            .map(|p| node(world, p))
            .collect(),
        positions: (0..world.people.len())
            .filter(|p| involved[*p])
            .map(|p| world.people.position[p])
            .collect(),
        edge_columns: vec![
            ("kind", "string"),
            ("relation", "string"),
            ("hours", "double"),
            ("weeks", "long"),
        ],
        edges,
    }
}

fn text<W: Write>(
    xml: &mut Writer<W>,
    tag: &str,
    attrs: &[(&str, &str)],
    value: &str,
) -> std::io::Result<()> {
    xml.create_element(tag)
        .with_attributes(attrs.iter().copied())
        .write_text_content(BytesText::new(value))?;
    Ok(())
}

/// GraphML (graphml.graphdrawing.org).
pub fn write_graphml<W: Write>(graph: &GraphTable, out: W) -> std::io::Result<()> {
    let mut xml = Writer::new_with_indent(out, b' ', 1);
    xml.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let mut root = BytesStart::new("graphml");
    root.push_attribute(("xmlns", "http://graphml.graphdrawing.org/xmlns"));
    xml.write_event(Event::Start(root))?;
    let keys = |target: &'static str, columns: &[Column], prefix: &'static str| {
        columns
            .iter()
            .enumerate()
            .map(|(i, (name, kind))| (format!("{prefix}{i}"), target, *name, *kind))
            .collect::<Vec<_>>()
    };
    let node_keys = keys("node", &graph.node_columns, "n");
    let edge_keys = keys("edge", &graph.edge_columns, "e");
    for (id, target, name, kind) in node_keys.iter().chain(&edge_keys) {
        xml.create_element("key")
            .with_attributes([
                ("id", id.as_str()),
                ("for", *target),
                ("attr.name", *name),
                ("attr.type", *kind),
            ])
            .write_empty()?;
    }
    let mut g = BytesStart::new("graph");
    g.push_attribute(("id", graph.name.as_str()));
    g.push_attribute((
        "edgedefault",
        if graph.directed {
            "directed"
        } else {
            "undirected"
        },
    ));
    xml.write_event(Event::Start(g))?;
    for (id, values) in &graph.nodes {
        xml.create_element("node")
            .with_attribute(("id", id.as_str()))
            .write_inner_content(|xml| {
                for ((key, ..), value) in node_keys.iter().zip(values) {
                    text(xml, "data", &[("key", key)], value)?;
                }
                Ok(())
            })?;
    }
    for (id, source, target, values) in &graph.edges {
        xml.create_element("edge")
            .with_attributes([
                ("id", id.as_str()),
                ("source", source.as_str()),
                ("target", target.as_str()),
            ])
            .write_inner_content(|xml| {
                for ((key, ..), value) in edge_keys.iter().zip(values) {
                    text(xml, "data", &[("key", key)], value)?;
                }
                Ok(())
            })?;
    }
    xml.write_event(Event::End(BytesEnd::new("graph")))?;
    xml.write_event(Event::End(BytesEnd::new("graphml")))?;
    xml.into_inner().flush()
}

/// GEXF's units per km of `viz:position`: metres, so that Gephi's default node
/// size (10) leaves neighbours a few metres apart distinguishable.
const GEXF_UNITS_PER_KM: f64 = 1000.0;

/// GEXF 1.3 (gexf.net), Gephi's own format, with every node at its home
/// (`viz:position` in metres east and north), so Gephi opens on the map.
pub fn write_gexf<W: Write>(graph: &GraphTable, out: W) -> std::io::Result<()> {
    let mut xml = Writer::new_with_indent(out, b' ', 1);
    xml.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let mut root = BytesStart::new("gexf");
    root.push_attribute(("xmlns", "http://gexf.net/1.3"));
    root.push_attribute(("xmlns:viz", "http://gexf.net/1.3/viz"));
    root.push_attribute(("version", "1.3"));
    xml.write_event(Event::Start(root))?;
    let mut g = BytesStart::new("graph");
    g.push_attribute((
        "defaultedgetype",
        if graph.directed {
            "directed"
        } else {
            "undirected"
        },
    ));
    g.push_attribute(("mode", "static"));
    xml.write_event(Event::Start(g))?;
    for (class, columns) in [("node", &graph.node_columns), ("edge", &graph.edge_columns)] {
        xml.create_element("attributes")
            .with_attribute(("class", class))
            .write_inner_content(|xml| {
                for (i, (name, kind)) in columns.iter().enumerate() {
                    let kind = if *kind == "double" { "double" } else { kind };
                    xml.create_element("attribute")
                        .with_attributes([
                            ("id", i.to_string().as_str()),
                            ("title", name),
                            ("type", kind),
                        ])
                        .write_empty()?;
                }
                Ok(())
            })?;
    }
    let values = |xml: &mut Writer<W>, values: &[String]| -> std::io::Result<()> {
        xml.create_element("attvalues").write_inner_content(|xml| {
            for (i, value) in values.iter().enumerate() {
                xml.create_element("attvalue")
                    .with_attributes([("for", i.to_string().as_str()), ("value", value.as_str())])
                    .write_empty()?;
            }
            Ok(())
        })?;
        Ok(())
    };
    xml.write_event(Event::Start(BytesStart::new("nodes")))?;
    for ((id, node_values), [x, y]) in graph.nodes.iter().zip(&graph.positions) {
        xml.create_element("node")
            .with_attributes([("id", id.as_str()), ("label", id.as_str())])
            .write_inner_content(|xml| {
                values(xml, node_values)?;
                let metres = |km: f32| (f64::from(km) * GEXF_UNITS_PER_KM).round().to_string();
                xml.create_element("viz:position")
                    .with_attributes([
                        ("x", metres(*x).as_str()),
                        ("y", metres(*y).as_str()),
                        ("z", "0"),
                    ])
                    .write_empty()?;
                Ok(())
            })?;
    }
    xml.write_event(Event::End(BytesEnd::new("nodes")))?;
    xml.write_event(Event::Start(BytesStart::new("edges")))?;
    for (id, source, target, edge_values) in &graph.edges {
        xml.create_element("edge")
            .with_attributes([
                ("id", id.as_str()),
                ("source", source.as_str()),
                ("target", target.as_str()),
            ])
            .write_inner_content(|xml| values(xml, edge_values))?;
    }
    xml.write_event(Event::End(BytesEnd::new("edges")))?;
    xml.write_event(Event::End(BytesEnd::new("graph")))?;
    xml.write_event(Event::End(BytesEnd::new("gexf")))?;
    xml.into_inner().flush()
}

/// Writes `<stem>.graphml` and `<stem>.gexf` into the run folder.
pub fn write_graph(folder: &RunFolder, stem: &str, graph: &GraphTable) -> Result<(), OutputError> {
    let graphml = format!("{stem}.graphml");
    write_graphml(graph, folder.create_file(&graphml)?)
        .map_err(OutputError::io(&folder.shown(&graphml)))?;
    let gexf = format!("{stem}.gexf");
    write_gexf(graph, folder.create_file(&gexf)?).map_err(OutputError::io(&folder.shown(&gexf)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Scenario;
    use crate::engine::simulate;

    fn small() -> Scenario {
        let mut scenario = Scenario::default();
        scenario.neighbourhoods.truncate(1);
        scenario.neighbourhoods[0].adults = 150;
        scenario.weeks = 8;
        scenario.burn_in_weeks = 4;
        scenario
    }

    #[test]
    fn both_formats_hold_every_node_and_edge_with_attributes() {
        let world = World::build(&small());
        let graph = social_graph(&world);
        let mut graphml = Vec::new();
        write_graphml(&graph, &mut graphml).unwrap();
        let graphml = String::from_utf8(graphml).unwrap();
        assert_eq!(graphml.matches("<node ").count(), world.people.len());
        assert_eq!(graphml.matches("<edge ").count(), world.network.ties.len());
        assert!(graphml.contains("attr.name=\"kind\""));
        assert!(graphml.contains(">partner</data>"));
        let mut gexf = Vec::new();
        write_gexf(&graph, &mut gexf).unwrap();
        let gexf = String::from_utf8(gexf).unwrap();
        assert_eq!(gexf.matches("<node ").count(), world.people.len());
        assert_eq!(gexf.matches("<edge ").count(), world.network.ties.len());
        assert!(gexf.contains("defaultedgetype=\"undirected\""));
        assert!(gexf.contains("title=\"trust\""));
        assert_eq!(gexf.matches("<viz:position ").count(), world.people.len());
        assert!(gexf.contains("xmlns:viz=\"http://gexf.net/1.3/viz\""));
        // The first person's position, in metres, is their home's.
        let [x, y] = world.people.position[0];
        let first = &gexf[gexf.find("<node id=\"p0\"").unwrap()..];
        let shown = format!(
            "<viz:position x=\"{}\" y=\"{}\" z=\"0\"/>",
            (f64::from(x) * 1000.0).round(),
            (f64::from(y) * 1000.0).round()
        );
        assert!(
            first[..first.find("</node>").unwrap()].contains(&shown),
            "{shown}"
        );
    }

    /// Kin edges say what their target is to their source, as the network
    /// reads it from either end; other edges say nothing. Ages are in years.
    #[test]
    fn kin_edges_carry_their_relation_and_nodes_their_age() {
        let world = World::build(&small());
        let graph = social_graph(&world);
        assert_eq!(graph.edge_columns[1].0, "relation");
        let mut relations = std::collections::BTreeSet::new();
        for (id, source, target, values) in &graph.edges {
            let t: usize = id[1..].parse().unwrap();
            let [a, b] = [source, target].map(|p| PersonId(p[1..].parse().unwrap()));
            let entry = world.network.tie_between(a, b).expect("a live tie");
            assert_eq!(entry.tie().index(), t);
            let expected = world
                .network
                .kin_relation(a, entry)
                .map_or(String::new(), |r| r.name().to_string());
            assert_eq!(values[1], expected, "{id}");
            relations.insert(values[1].clone());
        }
        for relation in ["", "parent", "child", "sibling"] {
            assert!(
                relations.contains(relation),
                "{relation:?} among {relations:?}"
            );
        }
        let age_column = graph
            .node_columns
            .iter()
            .position(|c| c.0 == "age")
            .unwrap();
        for (p, (_, values)) in graph.nodes.iter().enumerate() {
            assert_eq!(values[age_column], world.people.age[p].to_string());
        }
    }

    #[test]
    fn the_help_network_carries_the_reported_care_hours() {
        let (record, engine) = simulate(World::build(&small()), &mut |_| {});
        let graph = help_network(engine.world(), engine.ledger());
        assert!(graph.directed && !graph.edges.is_empty());
        let edge_hours: f64 = graph
            .edges
            .iter()
            .map(|e| e.3[2].parse::<f64>().unwrap())
            .sum();
        // Household care beyond usual help, informal and outbound hours,
        // exchange matches of their first week aside.
        let care: f64 = record
            .weeks
            .iter()
            .map(|t| {
                t.household.as_f64() - t.usual_help.as_f64()
                    + t.informal.as_f64()
                    + t.outbound.as_f64()
            })
            .sum();
        assert!(record.weeks.iter().any(|t| t.outbound.0 > 0));
        assert!((edge_hours - care).abs() < 0.01, "{edge_hours} vs {care}");
    }
}
