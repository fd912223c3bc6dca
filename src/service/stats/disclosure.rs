//! Disclosure control for public counts of people (enrolled, trained).
//!
//! Every public count of people is one node of a tree (the alliance, its
//! countries, their cities, their programmes) on one day. The rules, all
//! decided here and nowhere else, keep any combination of public figures
//! from revealing fewer than five people:
//!
//! 1. **Steps of five.** A node's public value moves only when its real
//!    value is five or more away from every value it showed before (a
//!    *release*); until then the last one stands. Before its first release
//!    a node shows 0 while nobody is counted and nothing (`None`) once
//!    someone is. So any two public values of a node, over any range of
//!    weeks or months, differ by none or by five or more.
//! 2. **Complementary suppression.** Each day the public values are checked
//!    against the sums that tie the tree together (a parent is the sum of
//!    its children), taking every value shown as known. When a withheld
//!    node that counts someone could be computed from the others (a country
//!    minus its other cities, the alliance minus the other countries), or
//!    withheld nodes whose total could be computed add up to fewer than
//!    five, one more node of that sum is withheld: its smallest other
//!    child, or its parent when no other child is shown. This repeats until
//!    nothing can be computed. What can be computed depends only on which
//!    values are shown, so an old value still shown cannot, by chance,
//!    make a computation come out right.
//! 3. **Everything from the beginning.** Releases are computed over every
//!    day from the first figure on, the same for every caller and every
//!    range asked for, so two answers never disagree in a way that reveals
//!    what lies between them.
//!
//! A property test seeds random small populations and checks, with full
//! linear algebra over every public value, that no withheld count can be
//! computed and that no two public values of a node differ by one to four.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Days, NaiveDate};
use uuid::Uuid;

use crate::domain::Country;

use super::SMALLEST_PUBLIC_COUNT;

/// One scope of public figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Node {
    Alliance,
    Country(Country),
    City(Uuid),
    Programme(Uuid),
}

/// Where the programmes are: the tree of scopes.
#[derive(Debug, Clone, Default)]
pub struct Tree {
    /// Each sum: a parent and the children it is the sum of.
    sums: Vec<(Node, Vec<Node>)>,
    nodes: Vec<Node>,
}

impl Tree {
    /// The tree of the given programmes, each with its city and country.
    #[must_use]
    pub fn new(programmes: &[(Uuid, Uuid, Country)]) -> Self {
        let mut countries: BTreeMap<Country, Vec<Node>> = BTreeMap::new();
        let mut cities: BTreeMap<Uuid, Vec<Node>> = BTreeMap::new();
        for &(programme, city, country) in programmes {
            let members = countries.entry(country).or_default();
            if !members.contains(&Node::City(city)) {
                members.push(Node::City(city));
            }
            cities
                .entry(city)
                .or_default()
                .push(Node::Programme(programme));
        }
        let mut sums = vec![(
            Node::Alliance,
            countries.keys().map(|c| Node::Country(*c)).collect(),
        )];
        let mut nodes = vec![Node::Alliance];
        for (country, members) in countries {
            nodes.push(Node::Country(country));
            nodes.extend(members.iter().copied());
            sums.push((Node::Country(country), members));
        }
        for (city, members) in cities {
            nodes.extend(members.iter().copied());
            sums.push((Node::City(city), members));
        }
        Self { sums, nodes }
    }

    /// Every node, parents before children.
    #[must_use]
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// Each sum: a parent and its children.
    #[must_use]
    pub fn sums(&self) -> &[(Node, Vec<Node>)] {
        &self.sums
    }
}

/// The real count of every node on one day.
pub type Counts = HashMap<Node, i64>;

/// What the public is shown of each node, day by day.
#[derive(Debug, Clone, Default)]
pub struct Published {
    /// Per node, its releases in order: (day, value).
    releases: HashMap<Node, Vec<(NaiveDate, i64)>>,
    /// Per node, the day it first counted someone, before any release.
    first_counted: HashMap<Node, NaiveDate>,
    /// The first day computed, and per day from it the nodes withheld so
    /// that no sum reveals another.
    first_day: Option<NaiveDate>,
    withheld: Vec<HashSet<Node>>,
}

impl Published {
    /// The public value of `node` on `day` (the last day computed stands
    /// for every later one, and before the first nobody was counted);
    /// `None` when withheld.
    #[must_use]
    pub fn value(&self, node: Node, day: NaiveDate) -> Option<i64> {
        let Some(first) = self.first_day else {
            return Some(0);
        };
        let Ok(offset) = usize::try_from((day - first).num_days()) else {
            return Some(0);
        };
        let index = offset.min(self.withheld.len().saturating_sub(1));
        if self.withheld.get(index).is_some_and(|w| w.contains(&node)) {
            return None;
        }
        let day = first + Days::new(index as u64);
        self.base(node, day)
    }

    /// The value before complementary suppression: the last release, 0
    /// while nobody was counted, else nothing.
    fn base(&self, node: Node, day: NaiveDate) -> Option<i64> {
        let released = self
            .releases
            .get(&node)
            .and_then(|r| r.iter().rev().find(|(d, _)| *d <= day));
        match released {
            Some((_, value)) => Some(*value),
            None if self.first_counted.get(&node).is_some_and(|d| *d <= day) => None,
            None => Some(0),
        }
    }

    /// The days on which `node`'s release value changed.
    #[must_use]
    pub fn releases(&self, node: Node) -> &[(NaiveDate, i64)] {
        self.releases.get(&node).map_or(&[], Vec::as_slice)
    }
}

/// Computes the public values of every node over `days` (consecutive, in
/// order, each with the real counts of that day).
#[must_use]
pub fn publish(tree: &Tree, days: impl IntoIterator<Item = (NaiveDate, Counts)>) -> Published {
    let mut out = Published::default();
    for (day, counts) in days {
        out.first_day.get_or_insert(day);
        let real = |n: &Node| counts.get(n).copied().unwrap_or(0);
        for node in tree.nodes() {
            let value = real(node);
            let earlier = out.releases.get(node).map_or(&[][..], Vec::as_slice);
            if earlier.is_empty() && value != 0 {
                out.first_counted.entry(*node).or_insert(day);
            }
            // Five or more from every value shown before (or one of them
            // again, from five or more away from the last).
            let last = earlier.last().map_or(0, |(_, v)| *v);
            let apart = |v: i64| v == value || (v - value).abs() >= SMALLEST_PUBLIC_COUNT;
            if (value - last).abs() >= SMALLEST_PUBLIC_COUNT
                && apart(0)
                && earlier.iter().all(|(_, v)| apart(*v))
            {
                out.releases.entry(*node).or_default().push((day, value));
            }
        }
        let shown: HashMap<Node, Option<i64>> = tree
            .nodes()
            .iter()
            .map(|n| (*n, out.base(*n, day)))
            .collect();
        out.withheld.push(complement(tree, shown, real));
    }
    out
}

/// The nodes to withhold beside those already withheld in `shown`, so that
/// no sum of the tree reveals a withheld node's real count (or a total of
/// withheld nodes under five) from the values shown.
fn complement(
    tree: &Tree,
    mut shown: HashMap<Node, Option<i64>>,
    real: impl Fn(&Node) -> i64,
) -> HashSet<Node> {
    let mut added = HashSet::new();
    while let Some(node) = next_to_withhold(tree, &shown, &real) {
        shown.insert(node, None);
        added.insert(node);
    }
    added
}

/// One node whose withholding closes a sum that reveals something: a sum
/// that, with every value shown taken as known, determines a withheld node
/// that counts someone, or the total of withheld nodes that is under five
/// (or pins each of them to 1 or to 4). Found by solving sums with one
/// unknown left, as far as they lead; what is determined depends only on
/// which nodes are shown, never on their values.
fn next_to_withhold(
    tree: &Tree,
    shown: &HashMap<Node, Option<i64>>,
    real: &impl Fn(&Node) -> i64,
) -> Option<Node> {
    let mut known: HashSet<Node> = shown.iter().filter_map(|(n, v)| v.map(|_| *n)).collect();
    // Withheld before complementary suppression: 1 to 4 people, as everyone knows.
    let small = |n: &Node| shown.get(n).is_some_and(Option::is_none);
    let visible = |n: &&Node| shown.get(*n).copied().flatten().is_some_and(|v| v != 0);
    loop {
        let mut learned = false;
        for (parent, children) in tree.sums() {
            let unknown: Vec<Node> = std::iter::once(parent)
                .chain(children)
                .filter(|n| !known.contains(n))
                .copied()
                .collect();
            // What to withhold: `preferred` when it is shown, else the
            // smallest shown node of the sum, else of the tree (what was
            // learned came by way of other sums).
            let pick = |preferred: Option<&Node>| {
                let smallest = |nodes: &mut dyn Iterator<Item = &Node>| {
                    nodes
                        .filter(visible)
                        .min_by_key(|n| (real(n), **n))
                        .copied()
                };
                preferred
                    .filter(visible)
                    .copied()
                    .or_else(|| smallest(&mut children.iter()))
                    .or_else(|| smallest(&mut std::iter::once(parent)))
                    .or_else(|| smallest(&mut tree.nodes().iter()))
            };
            match unknown.as_slice() {
                [only] if real(only) == 0 => {
                    // Determined to count nobody: that discloses nobody.
                    known.insert(*only);
                    learned = true;
                }
                [only] => {
                    // Withhold the smallest other child, as statistics
                    // offices do: the wider figures (the goal, a country)
                    // stay; the parent only when no other child is shown.
                    let sibling = children
                        .iter()
                        .filter(|c| *c != only)
                        .filter(visible)
                        .min_by_key(|n| (real(n), **n));
                    return pick(sibling.or(Some(parent)));
                }
                several
                    if several.len() > 1 && known.contains(parent) && !several.contains(parent) =>
                {
                    // Their total is determined: it must not be a small group,
                    // nor pin every one of them to 1 or to 4.
                    let total: i64 = several.iter().map(real).sum();
                    let count = i64::try_from(several.len()).unwrap_or(i64::MAX);
                    let pinned =
                        several.iter().all(small) && (total == count || total == 4 * count);
                    if (1..SMALLEST_PUBLIC_COUNT).contains(&total) || pinned {
                        return pick(Some(parent));
                    }
                }
                _ => {}
            }
        }
        if !learned {
            return None;
        }
    }
}

/// Every day from `first` to `last`, inclusive.
pub fn every_day(first: NaiveDate, last: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    std::iter::successors(Some(first), move |d| {
        d.checked_add_days(Days::new(1)).filter(|n| *n <= last)
    })
    .take_while(move |d| *d <= last)
}

#[cfg(test)]
mod tests;
