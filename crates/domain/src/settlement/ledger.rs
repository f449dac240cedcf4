//! The settled-quantity ledger: how much of each (sell bill, product) earlier settlements took.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::ids::{BillNum, ProductId};

/// Quantities already settled per (sell bill, product). The rule "settled ≤ sold" is checked
/// against it; a store keeps it in the same transaction as the settlements.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SettledQuantities {
    settled: BTreeMap<(BillNum, ProductId), Decimal>,
}

impl SettledQuantities {
    /// An empty ledger.
    pub fn new() -> Self {
        SettledQuantities::default()
    }

    /// The quantity of `product` on `bill` settled so far.
    pub fn get(&self, bill: &BillNum, product: ProductId) -> Decimal {
        self.settled
            .get(&(bill.clone(), product))
            .copied()
            .unwrap_or(Decimal::ZERO)
    }

    /// Records `quantity` more of `product` on `bill` as settled.
    pub fn add(&mut self, bill: &BillNum, product: ProductId, quantity: Decimal) {
        *self
            .settled
            .entry((bill.clone(), product))
            .or_insert(Decimal::ZERO) += quantity;
    }

    /// Every (sell bill, product) with its settled quantity.
    pub fn iter(&self) -> impl Iterator<Item = (&BillNum, ProductId, Decimal)> {
        self.settled
            .iter()
            .map(|((bill, product), quantity)| (bill, *product, *quantity))
    }
}

/// Part of a detail's quantity taken from one sell bill line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineAllocation {
    /// The sell bill line (`LineNo`, from 1).
    pub line_no: usize,
    /// The quantity taken from it.
    pub quantity: Decimal,
}

/// Takes `requested` from lines `(line_no, quantity sold)` in line order, after skipping the
/// `settled` quantity that earlier settlements already took the same way. `None` when the lines
/// do not hold enough.
///
/// ```
/// use posbridge_domain::settlement::{allocate, LineAllocation};
/// use rust_decimal::Decimal;
///
/// let lines = [(1, Decimal::from(2)), (3, Decimal::from(3))];
/// // 3 already settled: line 1 is used up, line 3 has 2 left.
/// let taken = allocate(&lines, Decimal::from(3), Decimal::from(2)).unwrap();
/// assert_eq!(taken, [LineAllocation { line_no: 3, quantity: Decimal::from(2) }]);
/// assert!(allocate(&lines, Decimal::from(3), Decimal::from(3)).is_none());
/// ```
pub fn allocate(
    lines: &[(usize, Decimal)],
    settled: Decimal,
    requested: Decimal,
) -> Option<Vec<LineAllocation>> {
    let mut skip = settled;
    let mut needed = requested;
    let mut taken = Vec::new();
    for &(line_no, sold) in lines {
        let used = skip.min(sold);
        skip -= used;
        let free = sold - used;
        if free > Decimal::ZERO && needed > Decimal::ZERO {
            let quantity = free.min(needed);
            needed -= quantity;
            taken.push(LineAllocation { line_no, quantity });
        }
    }
    needed.is_zero().then_some(taken)
}
