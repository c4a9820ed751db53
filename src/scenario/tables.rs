//! Per-kind tables in scenario files: a user writes only the entries to change and
//! the rest keep their defaults, e.g. `[scope.friend] household = 0.5`.

use std::collections::BTreeMap;

use serde::de::{DeserializeOwned, Deserializer};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};

use crate::kinds::{PerTask, PerTieKind, Task, TieKind};

/// Writes a per-kind array as a table keyed by the kinds' names.
fn serialize_keyed<S, K, V>(keys: &[K], values: &[V], serializer: S) -> Result<S::Ok, S::Error>
where
    S: Serializer,
    K: Ord + Serialize + Copy,
    V: Serialize,
{
    let map: BTreeMap<K, &V> = keys.iter().copied().zip(values.iter()).collect();
    map.serialize(serializer)
}

/// Reads a partial table keyed by kinds; the kinds it names replace the defaults.
fn deserialize_overlay<'de, D, K, V, const N: usize>(
    deserializer: D,
    mut defaults: [V; N],
    index: impl Fn(K) -> usize,
) -> Result<[V; N], D::Error>
where
    D: Deserializer<'de>,
    K: DeserializeOwned + Ord,
    V: DeserializeOwned,
{
    let given: BTreeMap<K, V> = BTreeMap::deserialize(deserializer)?;
    for (key, value) in given {
        defaults[index(key)] = value;
    }
    Ok(defaults)
}

/// One number per tie kind, e.g. the mean initial trust of each kind of tie.
#[derive(Debug, Clone, PartialEq)]
pub struct PerKind(pub PerTieKind<f64>);

impl PerKind {
    /// The value for a kind.
    pub fn get(&self, kind: TieKind) -> f64 {
        self.0[kind.index()]
    }
}

/// Default mean initial trust per tie kind (docs/ODD.md §7.4–§7.7). For neighbours this is the
/// value at zero cohesion; `network.neighbour_trust_per_cohesion` adds the rest.
pub fn default_initial_trust() -> PerKind {
    // partner, kin, friend, peer, association, volunteer, neighbour, acquaintance
    PerKind([0.9, 0.75, 0.7, 0.6, 0.5, 0.5, 0.25, 0.25])
}

impl Serialize for PerKind {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_keyed(TieKind::ALL, &self.0, serializer)
    }
}

impl<'de> Deserialize<'de> for PerKind {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_overlay(deserializer, default_initial_trust().0, TieKind::index).map(PerKind)
    }
}

/// Shares of a need episode's weekly hours by task.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskMix(pub PerTask<f64>);

impl TaskMix {
    /// The share for a task.
    pub fn get(&self, task: Task) -> f64 {
        self.0[task.index()]
    }
}

impl Serialize for TaskMix {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_keyed(Task::ALL, &self.0, serializer)
    }
}

impl<'de> Deserialize<'de> for TaskMix {
    /// A task mix names all its tasks: tasks left out have share zero, so that the
    /// shares a user writes are the shares the model uses.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_overlay(deserializer, [0.0; Task::COUNT], Task::index).map(TaskMix)
    }
}

/// The relationship-scope matrix (docs/ODD.md §7.10.17): how acceptable it is to ask a tie of
/// a kind for a task, from 0 (not done) to 1 (fully acceptable).
#[derive(Debug, Clone, PartialEq)]
pub struct ScopeMatrix(pub PerTieKind<PerTask<f64>>);

impl ScopeMatrix {
    /// Acceptability of asking a tie of `kind` for `task`.
    #[inline]
    pub fn get(&self, kind: TieKind, task: Task) -> f64 {
        self.0[kind.index()][task.index()]
    }
}

impl Default for ScopeMatrix {
    fn default() -> Self {
        // household, personal_care, transport, administration, company, emergency
        let mut rows = [[0.0; Task::COUNT]; TieKind::COUNT];
        rows[TieKind::Partner.index()] = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0];
        rows[TieKind::Kin.index()] = [0.9, 0.8, 0.9, 0.9, 1.0, 1.0];
        // Household and company calibrated down from the research brief's 0.6 and 1.0 (docs/ODD.md §1.3).
        rows[TieKind::Friend.index()] = [0.2, 0.2, 0.56, 0.32, 0.2, 0.9];
        rows[TieKind::Peer.index()] = [0.4, 0.2, 0.5, 0.4, 1.0, 0.6];
        rows[TieKind::Association.index()] = [0.3, 0.1, 0.5, 0.3, 0.8, 0.5];
        rows[TieKind::Volunteer.index()] = [0.8, 0.1, 0.8, 0.5, 0.8, 0.5];
        rows[TieKind::Neighbour.index()] = [0.5, 0.05, 0.4, 0.05, 0.3, 1.0];
        rows[TieKind::Acquaintance.index()] = [0.15, 0.02, 0.15, 0.05, 0.2, 0.5];
        ScopeMatrix(rows)
    }
}

impl Serialize for ScopeMatrix {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let rows: BTreeMap<TieKind, TaskMix> = TieKind::ALL
            .iter()
            .map(|kind| (*kind, TaskMix(self.0[kind.index()])))
            .collect();
        rows.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for ScopeMatrix {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let given: BTreeMap<TieKind, BTreeMap<Task, f64>> = BTreeMap::deserialize(deserializer)?;
        let mut matrix = ScopeMatrix::default();
        for (kind, row) in given {
            for (task, value) in row {
                matrix.0[kind.index()][task.index()] = value;
            }
        }
        Ok(matrix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, Serialize)]
    struct Holder {
        scope: ScopeMatrix,
    }

    #[test]
    fn partial_scope_keeps_other_defaults() {
        let holder: Holder = toml::from_str("[scope.friend]\nhousehold = 0.25\n").unwrap();
        let defaults = ScopeMatrix::default();
        assert_eq!(holder.scope.get(TieKind::Friend, Task::Household), 0.25);
        assert_eq!(
            holder.scope.get(TieKind::Friend, Task::Company),
            defaults.get(TieKind::Friend, Task::Company)
        );
        assert_eq!(
            holder.scope.0[TieKind::Kin.index()],
            defaults.0[TieKind::Kin.index()]
        );
    }

    #[test]
    fn unknown_kind_or_task_is_an_error() {
        let err = toml::from_str::<Holder>("[scope.frend]\nhousehold = 0.2\n").unwrap_err();
        assert!(err.message().contains("unknown variant `frend`"), "{err}");
        let err = toml::from_str::<Holder>("[scope.friend]\nchores = 0.2\n").unwrap_err();
        assert!(err.message().contains("unknown variant `chores`"), "{err}");
    }

    #[test]
    fn scope_round_trips_through_toml() {
        let text = toml::to_string(&Holder {
            scope: ScopeMatrix::default(),
        })
        .unwrap();
        let back: Holder = toml::from_str(&text).unwrap();
        assert_eq!(back.scope, ScopeMatrix::default());
    }
}
