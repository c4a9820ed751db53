//! The social graph as GraphML, for Gephi, networkx and igraph.

use std::io::Write;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use crate::ids::PersonId;
use crate::network::tie_flags;
use crate::population::flags;
use crate::world::World;

use super::{OutputError, RunFolder};

/// (id, applies to, name, GraphML type)
const KEYS: &[(&str, &str, &str, &str)] = &[
    ("n_nb", "node", "neighbourhood", "string"),
    ("n_res", "node", "resident", "boolean"),
    ("n_x", "node", "x_km", "double"),
    ("n_y", "node", "y_km", "double"),
    ("n_age", "node", "age_band", "string"),
    ("n_alone", "node", "lives_alone", "boolean"),
    ("n_cap", "node", "capacity_hours", "double"),
    ("n_help", "node", "helpfulness", "double"),
    ("n_rel", "node", "ask_reluctance", "double"),
    ("n_ft", "node", "formal_trust", "double"),
    ("e_kind", "edge", "kind", "string"),
    ("e_trust", "edge", "trust", "double"),
    ("e_dist", "edge", "distance_km", "double"),
    ("e_blend", "edge", "blended", "boolean"),
];

fn data<W: Write>(xml: &mut Writer<W>, key: &str, value: &str) -> std::io::Result<()> {
    xml.create_element("data")
        .with_attribute(("key", key))
        .write_text_content(BytesText::new(value))?;
    Ok(())
}

fn write_xml<W: Write>(world: &World, out: W) -> std::io::Result<()> {
    let mut xml = Writer::new_with_indent(out, b' ', 1);
    xml.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let mut root = BytesStart::new("graphml");
    root.push_attribute(("xmlns", "http://graphml.graphdrawing.org/xmlns"));
    xml.write_event(Event::Start(root))?;
    for (id, target, name, kind) in KEYS {
        xml.create_element("key")
            .with_attributes([
                ("id", *id),
                ("for", *target),
                ("attr.name", *name),
                ("attr.type", *kind),
            ])
            .write_empty()?;
    }
    let mut graph = BytesStart::new("graph");
    graph.push_attribute(("id", world.scenario.name.as_str()));
    graph.push_attribute(("edgedefault", "undirected"));
    xml.write_event(Event::Start(graph))?;
    let people = &world.people;
    for p in 0..people.len() {
        let person = PersonId(p as u32);
        let home = people.neighbourhood[p];
        let neighbourhood = if home.is_outside() {
            "outside"
        } else {
            world.scenario.neighbourhoods[home.index()].name.as_str()
        };
        xml.create_element("node")
            .with_attribute(("id", format!("p{p}").as_str()))
            .write_inner_content(|xml| {
                data(xml, "n_nb", neighbourhood)?;
                data(xml, "n_res", &people.is_resident(person).to_string())?;
                data(xml, "n_x", &people.position[p][0].to_string())?;
                data(xml, "n_y", &people.position[p][1].to_string())?;
                data(xml, "n_age", people.age_band[p].name())?;
                data(
                    xml,
                    "n_alone",
                    &people.has_flag(person, flags::LIVES_ALONE).to_string(),
                )?;
                data(xml, "n_cap", &people.capacity[p].to_string())?;
                data(xml, "n_help", &people.helpfulness[p].to_string())?;
                data(xml, "n_rel", &people.ask_reluctance[p].to_string())?;
                data(xml, "n_ft", &people.formal_trust[p].to_string())
            })?;
    }
    let ties = &world.network.ties;
    for (t, [a, b]) in world.network.tie_ends().iter().enumerate() {
        let (source, target) = (format!("p{a}"), format!("p{b}"));
        xml.create_element("edge")
            .with_attributes([
                ("id", format!("t{t}").as_str()),
                ("source", &source),
                ("target", &target),
            ])
            .write_inner_content(|xml| {
                data(xml, "e_kind", ties.kind[t].name())?;
                data(xml, "e_trust", &ties.trust[t].to_string())?;
                data(xml, "e_dist", &ties.distance_km[t].to_string())?;
                data(
                    xml,
                    "e_blend",
                    &(ties.flags[t] & tie_flags::BLENDED != 0).to_string(),
                )
            })?;
    }
    xml.write_event(Event::End(BytesEnd::new("graph")))?;
    xml.write_event(Event::End(BytesEnd::new("graphml")))?;
    xml.into_inner().flush()
}

/// Writes `network.graphml` into the run folder.
pub fn write_graphml(folder: &RunFolder, world: &World) -> Result<(), OutputError> {
    let path = folder.path("network.graphml");
    let out = folder.create_file("network.graphml")?;
    write_xml(world, out).map_err(OutputError::io(&path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Scenario;

    #[test]
    fn graphml_has_every_node_and_edge() {
        let mut scenario = Scenario::default();
        scenario.neighbourhoods.truncate(1);
        scenario.neighbourhoods[0].adults = 150;
        let world = World::build(&scenario);
        let mut bytes = Vec::new();
        write_xml(&world, &mut bytes).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(text.matches("<node ").count(), world.people.len());
        assert_eq!(text.matches("<edge ").count(), world.network.ties.len());
        assert!(text.contains("attr.name=\"kind\""));
        assert!(text.contains("<data key=\"e_kind\">partner</data>"));
    }
}
