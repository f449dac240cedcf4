//! Pricing rules against the contract's examples and an independent integer reference.

use proptest::prelude::*;
use rust_decimal::Decimal;

use super::*;
use crate::testing::decimals::{quantity_in, reference_cents, scaled_units, unit_price_in};

fn d(text: &str) -> Decimal {
    text.parse().unwrap()
}

fn fraction(rate: &str, base: &str) -> Result<DiscountFraction, InvalidDiscount> {
    Discount::new(d(rate), d(base)).unwrap().fraction()
}

fn check_line(amount: &str, retail: &str, rate: &str, base: &str, expect: &str) {
    let got = line_amount(
        Quantity::new(d(amount)).unwrap(),
        UnitPrice::new(d(retail)).unwrap(),
        fraction(rate, base).unwrap(),
    )
    .unwrap();
    assert_eq!(
        got.to_string(),
        expect,
        "{amount} × {retail} × {rate}/{base}"
    );
}

#[test]
fn discount_fraction_rules() {
    assert_eq!(fraction("8.5", "10").unwrap().as_decimal(), d("0.85"));
    assert_eq!(fraction("0", "0").unwrap(), DiscountFraction::FULL);
    assert_eq!(fraction("10", "10").unwrap().as_decimal(), d("1"));
    assert_eq!(fraction("0", "10").unwrap().as_decimal(), d("0"));
    let invalid = |rate: &str, base: &str| {
        assert_eq!(
            fraction(rate, base),
            Err(InvalidDiscount {
                rate: d(rate),
                base: d(base)
            }),
            "{rate}/{base}"
        )
    };
    invalid("10.01", "10");
    invalid("-1", "10");
    invalid("5", "0");
    invalid("0", "-1");
    invalid("-1", "-2");
}

#[test]
fn line_amounts_of_the_contract() {
    // The seed sample's line: 2 × 5.0 at 3/4.
    check_line("2.0", "5.0", "3.0", "4.0", "7.50");
    check_line("1", "99.00", "8.5", "10", "84.15");
    check_line("1", "99.0", "0", "0", "99.00");
    check_line("3", "33.33", "1", "3", "33.33");
    // 0.5 × 0.01 = 0.005, a midpoint, rounds away from zero.
    check_line("0.5", "0.01", "0", "0", "0.01");
    // Dividing first would give 0.3333 × 10 × 1 = 3.33 too, but 2/3 shows the difference:
    // 10 × 1 × 2/3 = 6.666… → 6.67, while round(2/3, 4) × 10 = 6.667 → 6.67 and
    // round(2/3, 2) × 10 = 6.70.
    check_line("10", "1", "2", "3", "6.67");
}

#[test]
fn zero_priced_lines_cost_nothing() {
    check_line("5", "0", "0", "0", "0.00");
    check_line("5", "0", "1", "2", "0.00");
}

#[test]
fn floor_check_of_the_contract() {
    let p = |s: &str| UnitPrice::new(d(s)).unwrap();
    let eighty = fraction("8", "10").unwrap();
    assert!(meets_floor(p("99.00"), eighty, p("79.20")));
    assert!(!meets_floor(p("99.00"), eighty, p("79.2001")));
    assert!(meets_floor(p("99.00"), DiscountFraction::FULL, p("99.0")));
    assert!(!meets_floor(p("99.00"), DiscountFraction::FULL, p("99.01")));
    // A free line passes only when the floor is zero.
    let free = fraction("0", "10").unwrap();
    assert!(meets_floor(p("99.00"), free, p("0")));
    assert!(!meets_floor(p("99.00"), free, p("0.01")));
}

#[test]
fn discounted_price_keeps_full_precision() {
    let p = |s: &str| UnitPrice::new(d(s)).unwrap();
    assert_eq!(
        discounted_price(p("99.00"), DiscountFraction::FULL).to_string(),
        "99.00"
    );
    assert_eq!(
        discounted_price(p("99.00"), fraction("8.5", "10").unwrap()),
        d("84.15")
    );
    assert_eq!(
        discounted_price(p("10"), fraction("1", "3").unwrap()).to_string(),
        "3.3333333333333333333333333333"
    );
}

#[test]
fn totals_sum_lines_and_discount_is_what_was_taken_off() {
    let m = |s: &str| Money::new(d(s)).unwrap();
    let totals = bill_totals([(m("10.00"), m("7.50")), (m("99.00"), m("84.15"))]).unwrap();
    assert_eq!(
        totals,
        BillTotals {
            total: m("91.65"),
            discount: m("17.35")
        }
    );
    assert_eq!(
        bill_totals([]).unwrap(),
        BillTotals {
            total: Money::ZERO,
            discount: Money::ZERO
        }
    );
}

proptest! {
    #[test]
    fn line_amount_equals_the_exact_value_rounded_half_up(
        quantity in quantity_in(1_000_000),
        retail in unit_price_in(1_000_000),
        (rate, base) in (1i64..=1_000_000_000).prop_flat_map(|b| (0..=b, Just(b)))
            .prop_map(|(r, b)| (Decimal::new(r, 4), Decimal::new(b, 4))),
    ) {
        prop_assume!(quantity.get() * retail.get() < Decimal::from(1_000_000_000_000_i64));
        let f = Discount::new(rate, base).unwrap().fraction().unwrap();
        let got = line_amount(quantity, retail, f).unwrap();
        let cents = reference_cents(quantity.get(), retail.get(), rate, base);
        prop_assert_eq!(got.get(), Decimal::new(cents as i64, 2));
        prop_assert_eq!(got.get().scale(), 2);
    }

    #[test]
    fn floor_check_agrees_with_the_division_form(
        retail in unit_price_in(1_000_000),
        lowest in unit_price_in(1_000_000),
        (rate, base) in (1i64..=100_000).prop_flat_map(|b| (0..=b, Just(b)))
            .prop_map(|(r, b)| (Decimal::new(r, 2), Decimal::new(b, 2))),
    ) {
        let f = Discount::new(rate, base).unwrap().fraction().unwrap();
        // Division form, exactly: floor(R·D / B) >= L in 10^-4 units (L is whole there).
        let discounted_units = scaled_units(retail.get()) * scaled_units(rate) / scaled_units(base);
        let by_division = discounted_units >= scaled_units(lowest.get());
        prop_assert_eq!(meets_floor(retail, f, lowest), by_division);
        // And the decimal division form, wherever Decimal's division is exact.
        let shown = discounted_price(retail, f);
        if shown * base == retail.get() * rate {
            prop_assert_eq!(meets_floor(retail, f, lowest), shown >= lowest.get());
        }
    }

    #[test]
    fn discount_never_negative_and_total_is_sum_of_lines(
        lines in proptest::collection::vec(
            (quantity_in(10_000), unit_price_in(10_000), (1i64..=100).prop_flat_map(|b| (0..=b, Just(b)))),
            1..50,
        ),
    ) {
        let mut pairs = Vec::new();
        let mut expected_total = Decimal::ZERO;
        for (q, r, (rate, base)) in lines {
            let f = Discount::new(Decimal::from(rate), Decimal::from(base)).unwrap().fraction().unwrap();
            let amount = line_amount(q, r, f).unwrap();
            let gross = gross_amount(q, r).unwrap();
            prop_assert!(amount <= gross);
            expected_total += amount.get();
            pairs.push((gross, amount));
        }
        let totals = bill_totals(pairs).unwrap();
        prop_assert_eq!(totals.total.get(), expected_total);
        prop_assert!(totals.discount >= Money::ZERO);
    }
}

#[test]
fn discount_values_pass_the_decimal_checks_first() {
    let err = Discount::new(d("8.50001"), d("10")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "DiscountRate has 5 decimal places, at most 4 are allowed"
    );
    let err = Discount::new(d("8"), d("1000000000000")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "DiscountBase must be below 10^12 in magnitude"
    );
    // Negative values are not a field error: they make an invalid discount (2005).
    assert!(Discount::new(d("-1"), d("10")).unwrap().fraction().is_err());
}
