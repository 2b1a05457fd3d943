//! Diesel table definitions, written to match `migrations/{sqlite,postgres}` (same on both).

diesel::table! {
    municipalities (code) {
        code -> Text,
        name -> Text,
        region -> Text,
    }
}

diesel::table! {
    institutions (number) {
        number -> Text,
        name -> Text,
        level -> Text,
        parent_number -> Nullable<Text>,
        inst_type_code -> Text,
        ownership_code -> Text,
        legal_basis_code -> Nullable<Text>,
        municipality_code -> Text,
        cvr -> Nullable<Text>,
        p_number -> Nullable<Text>,
        street -> Nullable<Text>,
        postal_code -> Nullable<Text>,
        city -> Nullable<Text>,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        status -> Text,
        closed_on -> Nullable<Date>,
        replaced_by -> Nullable<Text>,
    }
}

diesel::table! {
    suppliers (id) {
        id -> Text,
        name -> Text,
        cvr -> Text,
        verified -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    services (id) {
        id -> Text,
        supplier_id -> Text,
        name -> Text,
        description -> Text,
        website -> Nullable<Text>,
        privacy_url -> Nullable<Text>,
        contact_email -> Nullable<Text>,
        status -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    scopes (code) {
        code -> Text,
        name_da -> Text,
        name_en -> Text,
        description_da -> Text,
        sensitive -> Bool,
        sort_order -> Integer,
        description_en -> Text,
        retired_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        email -> Text,
        display_name -> Text,
        password_hash -> Nullable<Text>,
        language -> Text,
        status -> Text,
        created_at -> Timestamp,
        mail_digest -> Bool,
        totp_secret -> Nullable<Text>,
        totp_last_step -> Nullable<BigInt>,
    }
}

diesel::table! {
    role_assignments (id) {
        id -> Text,
        user_id -> Text,
        role -> Text,
        supplier_id -> Nullable<Text>,
        municipality_code -> Nullable<Text>,
        institution_number -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    sessions (token_hash) {
        token_hash -> Text,
        user_id -> Text,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        client_addr -> Nullable<Text>,
        stage -> Text,
        login_method -> Text,
        id_token -> Nullable<Text>,
    }
}

diesel::table! {
    identities (id) {
        id -> Text,
        user_id -> Text,
        issuer -> Text,
        subject -> Text,
        created_at -> Timestamp,
        last_login_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    oidc_logins (state_hash) {
        state_hash -> Text,
        browser_hash -> Text,
        nonce -> Text,
        pkce_verifier -> Text,
        next_path -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    account_tokens (token_hash) {
        token_hash -> Text,
        user_id -> Text,
        purpose -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    recovery_codes (id) {
        id -> Text,
        user_id -> Text,
        code_hash -> Text,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    counters (name) {
        name -> Text,
        value -> BigInt,
    }
}

diesel::table! {
    requests (id) {
        id -> Text,
        reference -> Text,
        batch_id -> Text,
        service_id -> Text,
        institution_number -> Text,
        kind -> Text,
        purpose -> Text,
        sensitive_reason -> Nullable<Text>,
        wished_start -> Date,
        wished_end -> Nullable<Date>,
        message -> Nullable<Text>,
        status -> Text,
        filed_by -> Text,
        filed_at -> Timestamp,
        decided_by -> Nullable<Text>,
        decided_role -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
        decision_reason -> Nullable<Text>,
        reminded_at -> Nullable<Timestamp>,
        decided_delegation -> Nullable<Text>,
        municipality_code -> Nullable<Text>,
        klynge_number -> Nullable<Text>,
        decision_reason_code -> Nullable<Text>,
        decision_reason_args -> Nullable<Text>,
        renews_agreement_id -> Nullable<Text>,
        escalated_at -> Nullable<Timestamp>,
        escalated_to_operators_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    request_scopes (request_id, scope_code) {
        request_id -> Text,
        scope_code -> Text,
        granted -> Nullable<Bool>,
        refusal_reason -> Nullable<Text>,
    }
}

diesel::table! {
    agreements (id) {
        id -> Text,
        reference -> Text,
        request_id -> Text,
        service_id -> Text,
        institution_number -> Text,
        status -> Text,
        starts_on -> Date,
        ends_on -> Nullable<Date>,
        approved_by -> Text,
        approved_role -> Text,
        created_at -> Timestamp,
        closed_at -> Nullable<Timestamp>,
        closed_by -> Nullable<Text>,
        close_reason -> Nullable<Text>,
        municipality_code -> Nullable<Text>,
        close_reason_code -> Nullable<Text>,
        close_reason_args -> Nullable<Text>,
        institution_paused_at -> Nullable<Timestamp>,
        institution_pause_reason -> Nullable<Text>,
        supplier_paused_at -> Nullable<Timestamp>,
        supplier_pause_reason -> Nullable<Text>,
    }
}

diesel::table! {
    agreement_scopes (agreement_id, scope_code) {
        agreement_id -> Text,
        scope_code -> Text,
        request_id -> Text,
        granted_at -> Timestamp,
    }
}

diesel::table! {
    audit_log (seq) {
        seq -> BigInt,
        id -> Text,
        occurred_at -> Timestamp,
        actor_user_id -> Nullable<Text>,
        actor_role -> Nullable<Text>,
        delegation -> Nullable<Text>,
        action -> Text,
        target_type -> Text,
        target_id -> Text,
        institution_number -> Nullable<Text>,
        supplier_id -> Nullable<Text>,
        details -> Text,
        client_addr -> Nullable<Text>,
        request_id -> Nullable<Text>,
        prev_hash -> Text,
        hash -> Text,
        municipality_code -> Nullable<Text>,
    }
}

diesel::table! {
    audit_head (id) {
        id -> Integer,
        seq -> BigInt,
        hash -> Text,
    }
}

diesel::table! {
    outbox (id) {
        id -> Text,
        created_at -> Timestamp,
        topic -> Text,
        payload -> Text,
        processed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    mail_messages (id) {
        id -> Text,
        event_id -> Nullable<Text>,
        recipient -> Text,
        language -> Text,
        subject -> Text,
        text_body -> Text,
        html_body -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        claimed_until -> Nullable<Timestamp>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        failing_since -> Nullable<Timestamp>,
    }
}

diesel::table! {
    notification_addresses (id) {
        id -> Text,
        institution_number -> Nullable<Text>,
        municipality_code -> Nullable<Text>,
        email -> Text,
        created_at -> Timestamp,
        label -> Nullable<Text>,
        language -> Text,
        new_requests -> Bool,
        reminders -> Bool,
        outcomes -> Bool,
        created_by -> Nullable<Text>,
    }
}

diesel::table! {
    delegations (id) {
        id -> Text,
        kind -> Text,
        institution_number -> Nullable<Text>,
        municipality_code -> Text,
        granted_by -> Text,
        granted_to -> Nullable<Text>,
        valid_from -> Date,
        valid_until -> Date,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        revoked_by -> Nullable<Text>,
    }
}

diesel::table! {
    login_failures (id) {
        id -> Text,
        email -> Text,
        client_addr -> Nullable<Text>,
        failed_at -> Timestamp,
        settled -> Bool,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> Text,
        kind -> Text,
        name -> Text,
        token_hash -> Text,
        supplier_id -> Nullable<Text>,
        permissions -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        revoked_by -> Nullable<Text>,
        last_used_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(institutions -> municipalities (municipality_code));
diesel::joinable!(api_tokens -> suppliers (supplier_id));
diesel::joinable!(services -> suppliers (supplier_id));
diesel::joinable!(role_assignments -> users (user_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(identities -> users (user_id));
diesel::joinable!(requests -> services (service_id));
diesel::joinable!(requests -> institutions (institution_number));
diesel::joinable!(request_scopes -> requests (request_id));
diesel::joinable!(request_scopes -> scopes (scope_code));
diesel::joinable!(agreements -> services (service_id));
diesel::joinable!(agreements -> institutions (institution_number));
diesel::joinable!(agreement_scopes -> agreements (agreement_id));
diesel::joinable!(agreement_scopes -> scopes (scope_code));

diesel::allow_tables_to_appear_in_same_query!(
    municipalities,
    institutions,
    suppliers,
    services,
    scopes,
    users,
    role_assignments,
    sessions,
    counters,
    requests,
    request_scopes,
    agreements,
    agreement_scopes,
    audit_log,
    audit_head,
    outbox,
    mail_messages,
    notification_addresses,
    delegations,
    login_failures,
    identities,
    oidc_logins,
    account_tokens,
    recovery_codes,
    api_tokens,
);

diesel::table! {
    agreement_end_reminders (agreement_id, ends_on, days_before) {
        agreement_id -> Text,
        ends_on -> Date,
        days_before -> Integer,
        sent_at -> Timestamp,
    }
}

diesel::joinable!(agreement_end_reminders -> agreements (agreement_id));

diesel::allow_tables_to_appear_in_same_query!(agreement_end_reminders, agreements);
