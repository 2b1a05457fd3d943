//! Roles a person can hold, and the role assignment rows that tie a role to a
//! supplier, a municipality or an institution (DESIGN §4).

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    SupplierAdmin,
    SupplierUser,
    MunicipalOfficer,
    InstitutionStaff,
    Operator,
    Auditor,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Self::SupplierAdmin,
        Self::SupplierUser,
        Self::MunicipalOfficer,
        Self::InstitutionStaff,
        Self::Operator,
        Self::Auditor,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::SupplierAdmin => "supplier_admin",
            Self::SupplierUser => "supplier_user",
            Self::MunicipalOfficer => "municipal_officer",
            Self::InstitutionStaff => "institution_staff",
            Self::Operator => "operator",
            Self::Auditor => "auditor",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == text)
    }

    pub fn is_supplier(self) -> bool {
        matches!(self, Self::SupplierAdmin | Self::SupplierUser)
    }
}

/// One role held by one person, bound to what it covers. Supplier roles carry a
/// supplier, municipal officers a municipality, institution staff an institution;
/// an auditor carries a municipality or nothing (the whole portal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleAssignment {
    pub role: Role,
    pub supplier_id: Option<String>,
    pub municipality_code: Option<String>,
    pub institution_number: Option<String>,
}

impl RoleAssignment {
    pub fn supplier(role: Role, supplier_id: &str) -> Self {
        Self {
            role,
            supplier_id: Some(supplier_id.into()),
            municipality_code: None,
            institution_number: None,
        }
    }

    pub fn municipal(role: Role, municipality_code: &str) -> Self {
        Self {
            role,
            supplier_id: None,
            municipality_code: Some(municipality_code.into()),
            institution_number: None,
        }
    }

    pub fn institution(institution_number: &str) -> Self {
        Self {
            role: Role::InstitutionStaff,
            supplier_id: None,
            municipality_code: None,
            institution_number: Some(institution_number.into()),
        }
    }

    pub fn portal(role: Role) -> Self {
        Self {
            role,
            supplier_id: None,
            municipality_code: None,
            institution_number: None,
        }
    }
}
