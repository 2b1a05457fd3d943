//! Request and agreement states and the transitions between them (DESIGN §3).
//! Stored as lower-case TEXT with a CHECK constraint; only `pending` requests change.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestStatus {
    Pending,
    Approved,
    Rejected,
    Withdrawn,
    Lapsed,
}

impl RequestStatus {
    pub const ALL: [RequestStatus; 5] = [
        Self::Pending,
        Self::Approved,
        Self::Rejected,
        Self::Withdrawn,
        Self::Lapsed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::Withdrawn => "withdrawn",
            Self::Lapsed => "lapsed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// The national portal's word for this state: a waiting request is VENTER, an
    /// approved one GODKENDT, and one that came to nothing SLETTET.
    pub fn national_word(self) -> &'static str {
        match self {
            Self::Pending => "VENTER",
            Self::Approved => "GODKENDT",
            Self::Rejected | Self::Withdrawn | Self::Lapsed => "SLETTET",
        }
    }

    /// Only a pending request can move, and only to a final state.
    pub fn can_become(self, next: RequestStatus) -> bool {
        self == Self::Pending && next != Self::Pending
    }
}

impl fmt::Display for RequestStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgreementStatus {
    Active,
    Suspended,
    Revoked,
    Terminated,
    Ended,
}

impl AgreementStatus {
    pub const ALL: [AgreementStatus; 5] = [
        Self::Active,
        Self::Suspended,
        Self::Revoked,
        Self::Terminated,
        Self::Ended,
    ];
    /// States in which the agreement still exists and can be ended.
    pub const OPEN: [AgreementStatus; 2] = [Self::Active, Self::Suspended];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Suspended => "suspended",
            Self::Revoked => "revoked",
            Self::Terminated => "terminated",
            Self::Ended => "ended",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// The national portal's word for this state (VENTER / GODKENDT / SLETTET).
    pub fn national_word(self) -> &'static str {
        match self {
            Self::Active => "GODKENDT",
            Self::Suspended => "VENTER",
            Self::Revoked | Self::Terminated | Self::Ended => "SLETTET",
        }
    }

    pub fn is_open(self) -> bool {
        Self::OPEN.contains(&self)
    }

    pub fn can_become(self, next: AgreementStatus) -> bool {
        match (self, next) {
            (Self::Active, Self::Suspended) | (Self::Suspended, Self::Active) => true,
            (from, to) => from.is_open() && !to.is_open(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_pending_requests_change() {
        for from in RequestStatus::ALL {
            for to in RequestStatus::ALL {
                let expected = from == RequestStatus::Pending && to != RequestStatus::Pending;
                assert_eq!(from.can_become(to), expected, "{from} -> {to}");
            }
        }
    }

    #[test]
    fn closed_agreements_stay_closed() {
        for from in [
            AgreementStatus::Revoked,
            AgreementStatus::Terminated,
            AgreementStatus::Ended,
        ] {
            for to in AgreementStatus::ALL {
                assert!(!from.can_become(to));
            }
        }
        assert!(AgreementStatus::Active.can_become(AgreementStatus::Revoked));
        assert!(AgreementStatus::Suspended.can_become(AgreementStatus::Active));
    }

    #[test]
    fn states_round_trip_through_text() {
        for s in RequestStatus::ALL {
            assert_eq!(RequestStatus::parse(s.as_str()), Some(s));
        }
        for s in AgreementStatus::ALL {
            assert_eq!(AgreementStatus::parse(s.as_str()), Some(s));
        }
    }
}
