//! The policy's view and decide scopes as query filters, shared by the request and
//! agreement lists so a list never shows a row the detail page would refuse. Both lists
//! join `services` and `institutions`, so the filters read those columns directly; the
//! municipality is read from the row's own copy (kept true by the database), which leads
//! the lists' indexes, so an officer's page is one index range in page order.
//!
//! A person nearly always holds one kind of assignment; then the filter is a single
//! `IN (…)` the planner can drive from an index, or an `=` when the scope holds one value
//! (PostgreSQL reads an index in order only under `=`: `= ANY('{101}')` makes it sort the
//! whole municipality for a 25-row page). Only mixed assignments get the `OR`.

/// Keeps rows whose `$column` is one of `$values` (a `Vec`), as `=` when there is one.
macro_rules! filter_one_of {
    ($query:expr, $column:expr, $values:expr) => {{
        let mut values: Vec<_> = $values;
        if values.len() == 1 {
            $query.filter($column.eq(values.pop().expect("one value")))
        } else {
            $query.filter($column.eq_any(values))
        }
    }};
}

/// Keeps rows whose supplier, municipality or institution lies in a [`ViewScope`].
/// `$institution` and `$municipality` are the row's institution-number and municipality
/// columns.
macro_rules! filter_visible {
    ($query:expr, $scope:expr, $institution:expr, $municipality:expr) => {{
        use $crate::db::schema::services as vis_svc;
        let scope: &$crate::domain::policy::ViewScope = $scope;
        let suppliers = scope.supplier_ids.clone();
        let municipalities = scope.municipality_codes.clone();
        let numbers = scope.institution_numbers.clone();
        match (
            scope.everything,
            suppliers.is_empty(),
            municipalities.is_empty(),
            numbers.is_empty(),
        ) {
            (true, ..) => $query,
            (false, false, true, true) => {
                $crate::db::visibility::filter_one_of!($query, vis_svc::supplier_id, suppliers)
            }
            (false, true, false, true) => {
                $crate::db::visibility::filter_one_of!($query, $municipality, municipalities)
            }
            (false, true, true, false) => {
                $crate::db::visibility::filter_one_of!($query, $institution, numbers)
            }
            _ => $query.filter(
                vis_svc::supplier_id
                    .eq_any(suppliers)
                    .or($municipality.eq_any(municipalities))
                    .or($institution.eq_any(numbers)),
            ),
        }
    }};
}

/// Keeps rows at institutions a [`DecideScope`] may decide for: kommunale institutions of
/// its municipalities, and its own institutions.
macro_rules! filter_decidable {
    ($query:expr, $scope:expr, $institution:expr, $municipality:expr) => {{
        use $crate::db::schema::institutions as dec_inst;
        use $crate::domain::policy::DecideScope;
        let scope: &DecideScope = $scope;
        let municipalities = scope.municipality_codes.clone();
        let numbers = scope.institution_numbers.clone();
        let kommunal = dec_inst::ownership_code.eq(DecideScope::MUNICIPAL_OWNERSHIP_CODE);
        match (municipalities.is_empty(), numbers.is_empty()) {
            (false, true) => $crate::db::visibility::filter_one_of!(
                $query.filter(kommunal),
                $municipality,
                municipalities
            ),
            (true, _) => $crate::db::visibility::filter_one_of!($query, $institution, numbers),
            (false, false) => $query.filter(
                $municipality
                    .eq_any(municipalities)
                    .and(kommunal)
                    .or($institution.eq_any(numbers)),
            ),
        }
    }};
}

pub(crate) use {filter_decidable, filter_one_of, filter_visible};
