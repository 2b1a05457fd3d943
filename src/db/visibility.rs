//! The policy's view and decide scopes as query filters, shared by the request and
//! agreement lists so a list never shows a row the detail page would refuse. Both lists
//! join `services` and `institutions`, so the filters read those columns directly.

/// Keeps rows whose supplier, municipality or institution lies in a [`ViewScope`].
/// `$institution` is the row's institution-number column.
macro_rules! filter_visible {
    ($query:expr, $scope:expr, $institution:expr) => {{
        use $crate::db::schema::{institutions as vis_inst, services as vis_svc};
        let scope: &$crate::domain::policy::ViewScope = $scope;
        if scope.everything {
            $query
        } else {
            $query.filter(
                vis_svc::supplier_id
                    .eq_any(scope.supplier_ids.clone())
                    .or(vis_inst::municipality_code.eq_any(scope.municipality_codes.clone()))
                    .or($institution.eq_any(scope.institution_numbers.clone())),
            )
        }
    }};
}

/// Keeps rows at institutions a [`DecideScope`] may decide for: kommunale institutions of
/// its municipalities, and its own institutions.
macro_rules! filter_decidable {
    ($query:expr, $scope:expr, $institution:expr) => {{
        use $crate::db::schema::institutions as dec_inst;
        let scope: &$crate::domain::policy::DecideScope = $scope;
        $query.filter(
            dec_inst::municipality_code
                .eq_any(scope.municipality_codes.clone())
                .and(
                    dec_inst::ownership_code
                        .eq($crate::domain::policy::DecideScope::MUNICIPAL_OWNERSHIP_CODE),
                )
                .or($institution.eq_any(scope.institution_numbers.clone())),
        )
    }};
}

pub(crate) use {filter_decidable, filter_visible};
