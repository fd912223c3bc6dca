//! The disclosure rules against an attacker who knows every public value
//! and solves the sums of the tree with full linear algebra.

// Gaussian elimination reads best by index; the counts are small.
#![allow(clippy::cast_precision_loss, clippy::needless_range_loop)]

use std::collections::HashMap;

use chrono::{Days, NaiveDate};
use rand::{rngs::StdRng, Rng, SeedableRng};
use uuid::Uuid;

use super::{publish, Counts, Node, Published, Tree};
use crate::domain::Country;

const COUNTRIES: [Country; 5] = [
    Country::No,
    Country::Se,
    Country::Dk,
    Country::Fi,
    Country::Is,
];

fn day(n: u64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 5).unwrap() + Days::new(n)
}

/// Solves the tree's sums for the unknown nodes, given the known values,
/// with full linear algebra: the value of every node the sums determine.
fn solve(tree: &Tree, known: &HashMap<Node, i64>) -> HashMap<Node, f64> {
    let unknown: Vec<Node> = tree
        .nodes()
        .iter()
        .filter(|n| !known.contains_key(n))
        .copied()
        .collect();
    let columns = unknown.len();
    // One row per sum: parent - children = 0, known values moved right.
    let mut rows: Vec<Vec<f64>> = tree
        .sums()
        .iter()
        .map(|(parent, children)| {
            let mut row = vec![0.0; columns + 1];
            let mut put = |node: &Node, sign: f64| match unknown.iter().position(|u| u == node) {
                Some(i) => row[i] += sign,
                None => row[columns] -= sign * known[node] as f64,
            };
            put(parent, 1.0);
            for child in children {
                put(child, -1.0);
            }
            row
        })
        .collect();
    // Reduced row echelon form.
    let mut pivot_row = 0;
    let mut pivots = Vec::new();
    for col in 0..columns {
        let Some(p) = (pivot_row..rows.len()).find(|r| rows[*r][col].abs() > 1e-9) else {
            continue;
        };
        rows.swap(pivot_row, p);
        let lead = rows[pivot_row][col];
        for c in 0..=columns {
            rows[pivot_row][c] /= lead;
        }
        for r in 0..rows.len() {
            if r != pivot_row && rows[r][col].abs() > 1e-9 {
                let factor = rows[r][col];
                for c in 0..=columns {
                    rows[r][c] -= factor * rows[pivot_row][c];
                }
            }
        }
        pivots.push((pivot_row, col));
        pivot_row += 1;
    }
    // A pivot whose row has no other unknown left is determined.
    pivots
        .into_iter()
        .filter(|(r, col)| (0..columns).all(|c| c == *col || rows[*r][c].abs() < 1e-9))
        .map(|(r, col)| (unknown[col], rows[r][columns]))
        .collect()
}

/// Checks every day's public values against the attacker; returns how many
/// values were withheld.
fn attack(tree: &Tree, days: &[(NaiveDate, Counts)], published: &Published) -> usize {
    let mut withheld = 0;
    let mut seen: HashMap<Node, Vec<i64>> = HashMap::new();
    for (n, (today, counts)) in days.iter().enumerate() {
        let real = |node: &Node| counts.get(node).copied().unwrap_or(0);
        let mut known = HashMap::new();
        for node in tree.nodes() {
            let shown = published.value(*node, *today);
            // Every public count is 0 or at least five, or withheld.
            assert!(
                shown.is_none_or(|v| v == 0 || v >= 5),
                "{node:?} shows {shown:?} on {today}"
            );
            match shown {
                Some(v) => {
                    // Any two public values of a node, whatever the range
                    // between them, differ by none or by five or more.
                    let earlier = seen.entry(*node).or_default();
                    for e in earlier.iter() {
                        assert!(
                            v == *e || (v - e).abs() >= 5,
                            "{node:?}: {v} after {earlier:?}"
                        );
                    }
                    earlier.push(v);
                    known.insert(*node, v);
                }
                None => withheld += 1,
            }
        }
        // Every value shown taken as exact: no withheld count comes out.
        for (node, _) in solve(tree, &known) {
            let really = real(&node);
            assert!(
                really == 0,
                "day {n}: withheld {node:?} ({really}) is determined by the public values {known:?}"
            );
        }
    }
    withheld
}

/// Real counts per day from each programme's daily changes.
fn stocks(
    tree_of: &[(Uuid, Uuid, Country)],
    changes: &HashMap<(Uuid, u64), i64>,
    days: u64,
) -> Vec<(NaiveDate, Counts)> {
    let mut running: HashMap<Uuid, i64> = HashMap::new();
    (0..days)
        .map(|d| {
            let mut counts = Counts::new();
            for &(programme, city, country) in tree_of {
                let stock = running.entry(programme).or_default();
                *stock += changes.get(&(programme, d)).copied().unwrap_or(0);
                for node in [
                    Node::Programme(programme),
                    Node::City(city),
                    Node::Country(country),
                    Node::Alliance,
                ] {
                    *counts.entry(node).or_default() += *stock;
                }
            }
            (day(d), counts)
        })
        .collect()
}

#[test]
fn a_country_of_one_small_city_is_withheld_and_cannot_be_subtracted() {
    // Reykjavik (3 people) is all of Iceland; Norway has Larvik (40) and
    // Kristiansand (3).
    let (reykjavik, larvik, kristiansand) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let (p1, p2, p3) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let programmes = [
        (p1, reykjavik, Country::Is),
        (p2, larvik, Country::No),
        (p3, kristiansand, Country::No),
    ];
    let tree = Tree::new(&programmes);
    let changes = HashMap::from([((p1, 0), 3), ((p2, 0), 40), ((p3, 1), 3)]);
    let days = stocks(&programmes, &changes, 3);
    let published = publish(&tree, days.iter().cloned());
    let today = day(2);
    assert_eq!(published.value(Node::City(reykjavik), today), None);
    assert_eq!(published.value(Node::Country(Country::Is), today), None);
    assert_eq!(published.value(Node::Programme(p1), today), None);
    assert_eq!(published.value(Node::City(kristiansand), today), None);
    // The alliance minus Norway would give Iceland: Norway, the smallest
    // other country, is withheld beside it; the alliance, the goal's
    // figure, stays, and so does Larvik (Norway is no longer known, so
    // nothing subtracts to Kristiansand).
    assert_eq!(published.value(Node::Country(Country::No), today), None);
    assert_eq!(published.value(Node::City(larvik), today), Some(40));
    assert_eq!(published.value(Node::Alliance, today), Some(43));
    attack(&tree, &days, &published);
}

#[test]
fn random_small_populations_never_reveal_a_withheld_count() {
    let populations = 400;
    let mut withheld = 0;
    let mut rng = StdRng::seed_from_u64(0x5AFE_C17E);
    for _ in 0..populations {
        let mut programmes = Vec::new();
        for country in &COUNTRIES[..rng.gen_range(1..=4)] {
            for _ in 0..rng.gen_range(1..=3) {
                let city = Uuid::now_v7();
                for _ in 0..rng.gen_range(1..=3) {
                    programmes.push((Uuid::now_v7(), city, *country));
                }
            }
        }
        let days = rng.gen_range(10..=40);
        let mut changes = HashMap::new();
        let mut stock: HashMap<Uuid, i64> = HashMap::new();
        for d in 0..days {
            for (programme, _, _) in &programmes {
                let roll = rng.gen_range(0..100);
                let change = match roll {
                    0..=79 => 0,
                    80..=95 => rng.gen_range(1..=3),
                    96..=97 => rng.gen_range(4..=9),
                    _ => -1,
                };
                let s = stock.entry(*programme).or_default();
                let change = if *s + change < 0 { 0 } else { change };
                *s += change;
                if change != 0 {
                    changes.insert((*programme, d), change);
                }
            }
        }
        let tree = Tree::new(&programmes);
        let real = stocks(&programmes, &changes, days);
        let published = publish(&tree, real.iter().cloned());
        withheld += attack(&tree, &real, &published);
    }
    println!(
        "{populations} random populations tried, {withheld} daily values withheld, none computable"
    );
}
