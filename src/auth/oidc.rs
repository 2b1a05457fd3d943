//! Sign-in through the organisation's OpenID Connect provider (MitID Erhverv via a broker,
//! Unilogin): discovery, the authorization code flow with PKCE, `state` and `nonce`, the ID
//! token's signature, issuer, audience and expiry checked by the `openidconnect` crate, what
//! the crate leaves to its user checked here (an `iat` or `nbf` in the future beyond a minute
//! of clock skew, an `azp` naming another client), and RP-initiated logout. What the provider says is turned into a [`VerifiedIdentity`]; who
//! that is in the portal is decided in `db::identities`.

use std::time::{Duration, Instant};

use base64::Engine;
use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreAuthenticationFlow, CoreErrorResponseType,
    CoreGenderClaim, CoreIdToken, CoreJsonWebKey, CoreJweContentEncryptionAlgorithm,
    CoreRevocableToken, CoreRevocationErrorResponse, CoreTokenIntrospectionResponse,
    CoreTokenResponse,
};
use openidconnect::{
    AuthorizationCode, Client, ClientId, ClientSecret, CsrfToken, EmptyAdditionalClaims,
    EndSessionUrl, EndpointMaybeSet, EndpointNotSet, EndpointSet, IssuerUrl, LogoutRequest, Nonce,
    OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, PostLogoutRedirectUrl,
    ProviderMetadataWithLogout, RedirectUrl, RequestTokenError, Scope, StandardErrorResponse,
    TokenResponse,
};
use tokio::sync::Mutex;

use crate::configuration::OidcSettings;

/// The client as built from discovery: authorization endpoint known, token and userinfo
/// endpoints as the provider announced them.
type ProviderClient = Client<
    EmptyAdditionalClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    CoreTokenResponse,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// The path the provider sends people back to; registered at the provider as
/// `TILSLUTNING_BASE_URL` + this.
pub const CALLBACK_PATH: &str = "/auth/oidc/callback";

/// Discovery (endpoints and signing keys) is fetched again after this long, so a key
/// rotation at the provider is picked up without a restart.
const DISCOVERY_TTL: Duration = Duration::from_secs(15 * 60);
/// After a failed discovery, how long before the provider is asked again.
const DISCOVERY_RETRY: Duration = Duration::from_secs(30);
/// How long the portal waits for the provider before telling the person it is down.
const PROVIDER_TIMEOUT: Duration = Duration::from_secs(10);
/// How far the provider's clock may run ahead of ours for `iat` and `nbf`.
const CLOCK_SKEW_SECONDS: i64 = 60;

/// Why a sign-in through the provider did not succeed; each is shown as a page and audited.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    #[error("provider unreachable: {0}")]
    ProviderUnavailable(String),
    #[error("provider refused: {0}")]
    Refused(String),
    #[error("unknown, used or expired state")]
    BadState,
    #[error("code exchange failed: {0}")]
    CodeRejected(String),
    #[error("ID token not accepted: {0}")]
    TokenInvalid(String),
}

impl OidcError {
    /// A stable code for the audit log.
    pub fn code(&self) -> &'static str {
        match self {
            Self::ProviderUnavailable(_) => "provider_unavailable",
            Self::Refused(_) => "provider_refused",
            Self::BadState => "bad_state",
            Self::CodeRejected(_) => "code_rejected",
            Self::TokenInvalid(_) => "token_invalid",
        }
    }
}

/// The sign-in begun: where to send the browser, and what to keep until it returns.
pub struct Begun {
    pub authorize_url: String,
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
}

/// A person as the provider vouched for them in a verified ID token.
#[derive(Debug, Clone)]
pub struct VerifiedIdentity {
    pub issuer: String,
    pub subject: String,
    pub email: Option<String>,
    pub email_verified: bool,
    pub name: Option<String>,
    /// The configured organisation claim, when the token carries it.
    pub organisation: Option<String>,
    /// The raw ID token, kept with the session as the hint for signing out at the provider.
    pub id_token: String,
}

struct Discovered {
    client: ProviderClient,
    end_session: Option<EndSessionUrl>,
    userinfo: Option<String>,
    refresh_at: Instant,
}

/// The last good discovery, and when a failed one may be tried again.
#[derive(Default)]
struct DiscoveryCache {
    current: Option<Discovered>,
    retry_at: Option<Instant>,
}

/// What the provider said about the person, from the ID token or the userinfo endpoint.
#[derive(Debug, Default)]
struct Claims {
    email: Option<String>,
    email_verified: Option<bool>,
    name: Option<String>,
    organisation: Option<String>,
}

impl Claims {
    /// Reads the claims from a JSON object (an ID token's payload or a userinfo answer).
    fn from_json(json: &serde_json::Value, organisation_claim: Option<&str>) -> Self {
        let text = |key: &str| match json.get(key) {
            Some(serde_json::Value::String(s)) => {
                Some(s.trim().to_string()).filter(|s| !s.is_empty())
            }
            Some(serde_json::Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        let email_verified = match json.get("email_verified") {
            Some(serde_json::Value::Bool(b)) => Some(*b),
            // Some providers send it as a string.
            Some(serde_json::Value::String(s)) => Some(s == "true"),
            _ => None,
        };
        Self {
            email: text("email"),
            email_verified,
            name: text("name"),
            organisation: organisation_claim.and_then(text),
        }
    }

    /// Fills what this lacks from `other`; an email and whether it is verified always come
    /// from the same source.
    fn or(self, other: Claims) -> Claims {
        let (email, email_verified) = match self.email {
            Some(email) => (Some(email), self.email_verified),
            None => (other.email, other.email_verified),
        };
        Claims {
            email,
            email_verified,
            name: self.name.or(other.name),
            organisation: self.organisation.or(other.organisation),
        }
    }
}

/// The portal's relying party: settings, an HTTP client that never follows redirects, and
/// the discovery document, fetched on first use and refreshed now and then.
pub struct Oidc {
    settings: OidcSettings,
    redirect_url: RedirectUrl,
    post_logout_url: String,
    http: reqwest::Client,
    discovered: Mutex<DiscoveryCache>,
}

impl Oidc {
    pub fn new(settings: OidcSettings, base_url: &str) -> anyhow::Result<Self> {
        IssuerUrl::new(settings.issuer.clone())
            .map_err(|e| anyhow::anyhow!("TILSLUTNING_OIDC_ISSUER is not a URL: {e}"))?;
        let redirect_url = RedirectUrl::new(format!("{base_url}{CALLBACK_PATH}"))?;
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(PROVIDER_TIMEOUT)
            .build()?;
        Ok(Self {
            settings,
            redirect_url,
            post_logout_url: format!("{base_url}/login?notice=signed-out"),
            http,
            discovered: Mutex::new(DiscoveryCache::default()),
        })
    }

    /// The login page's button text when it is configured; otherwise the catalogue's.
    pub fn button_text(&self) -> Option<&str> {
        self.settings.button_text.as_deref()
    }

    pub fn issuer(&self) -> &str {
        &self.settings.issuer
    }

    pub fn organisation_claim(&self) -> Option<&str> {
        self.settings.organisation_claim.as_deref()
    }

    /// The client from a fresh-enough discovery; a failed refresh falls back to the last
    /// good document, so a provider hiccup does not stop sign-ins already under way.
    async fn client(
        &self,
    ) -> Result<(ProviderClient, Option<EndSessionUrl>, Option<String>), OidcError> {
        let mut cache = self.discovered.lock().await;
        let now = Instant::now();
        let due = cache.current.as_ref().is_none_or(|d| d.refresh_at <= now);
        // After a failure the provider is asked again only after a pause, so an outage
        // does not make every sign-in wait for its own timeout.
        let may_try = cache.retry_at.is_none_or(|at| at <= now);
        if due && may_try {
            match self.discover().await {
                Ok(found) => {
                    cache.current = Some(found);
                    cache.retry_at = None;
                }
                Err(e) => {
                    cache.retry_at = Some(now + DISCOVERY_RETRY);
                    if cache.current.is_none() {
                        return Err(e);
                    }
                    tracing::warn!(error = %e, "provider discovery failed; using the last one");
                }
            }
        }
        let d = cache.current.as_ref().ok_or_else(|| {
            OidcError::ProviderUnavailable("discovery failed a moment ago".into())
        })?;
        Ok((d.client.clone(), d.end_session.clone(), d.userinfo.clone()))
    }

    async fn discover(&self) -> Result<Discovered, OidcError> {
        let issuer = IssuerUrl::new(self.settings.issuer.clone())
            .map_err(|e| OidcError::ProviderUnavailable(e.to_string()))?;
        let metadata = ProviderMetadataWithLogout::discover_async(issuer, &self.http)
            .await
            .map_err(|e| OidcError::ProviderUnavailable(error_chain(&e)))?;
        let end_session = metadata.additional_metadata().end_session_endpoint.clone();
        let userinfo = metadata.userinfo_endpoint().map(|u| u.url().to_string());
        let client = Client::from_provider_metadata(
            metadata,
            ClientId::new(self.settings.client_id.clone()),
            Some(ClientSecret::new(self.settings.client_secret.clone())),
        )
        .set_redirect_uri(self.redirect_url.clone());
        Ok(Discovered {
            client,
            end_session,
            userinfo,
            refresh_at: Instant::now() + DISCOVERY_TTL,
        })
    }

    /// Starts a sign-in: a fresh `state`, `nonce` and PKCE pair, and the provider's URL.
    pub async fn begin(&self) -> Result<Begun, OidcError> {
        let (client, _, _) = self.client().await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("email".into()))
            .add_scope(Scope::new("profile".into()))
            .set_pkce_challenge(challenge);
        if let Some(claim) = self.organisation_claim() {
            request = request.add_scope(Scope::new(claim.to_string()));
        }
        let (url, state, nonce) = request.url();
        Ok(Begun {
            authorize_url: url.to_string(),
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
        })
    }

    /// Finishes a sign-in: trades the code (with the PKCE verifier) for tokens and verifies
    /// the ID token against the provider's keys, this client and the nonce sent.
    pub async fn complete(
        &self,
        code: &str,
        nonce: &str,
        pkce_verifier: &str,
    ) -> Result<VerifiedIdentity, OidcError> {
        let (client, _, userinfo) = self.client().await?;
        let response = client
            .exchange_code(AuthorizationCode::new(code.to_string()))
            .map_err(|e| OidcError::ProviderUnavailable(e.to_string()))?
            .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier.to_string()))
            .request_async(&self.http)
            .await
            .map_err(|e| match e {
                RequestTokenError::ServerResponse(r) => OidcError::CodeRejected(
                    format!(
                        "{} {}",
                        r.error(),
                        r.error_description().cloned().unwrap_or_default()
                    )
                    .trim()
                    .to_string(),
                ),
                RequestTokenError::Request(e) => OidcError::ProviderUnavailable(error_chain(&e)),
                other => OidcError::CodeRejected(error_chain(&other)),
            })?;
        let id_token = response
            .id_token()
            .ok_or_else(|| OidcError::TokenInvalid("no ID token in the response".into()))?;
        let claims =
            match id_token.claims(&client.id_token_verifier(), &Nonce::new(nonce.to_string())) {
                Ok(claims) => claims,
                Err(e) => {
                    // Perhaps the provider rotated its keys: fetch them again next time.
                    if let Some(d) = self.discovered.lock().await.current.as_mut() {
                        d.refresh_at = Instant::now();
                    }
                    return Err(OidcError::TokenInvalid(e.to_string()));
                }
            };
        let raw = id_token.to_string();
        let subject = claims.subject().to_string();
        // The token's signature is verified; its payload is read for the claims the
        // crate's core types do not carry (`nbf`, the organisation claim).
        let verified_payload = payload(&raw).unwrap_or_default();
        check_time_and_party(
            claims.issue_time().timestamp(),
            verified_payload.get("nbf"),
            claims.authorized_party().map(|azp| azp.as_str()),
            &self.settings.client_id,
            time::OffsetDateTime::now_utc().unix_timestamp(),
        )
        .map_err(OidcError::TokenInvalid)?;
        let mut found = Claims::from_json(&verified_payload, self.organisation_claim());
        // Many providers keep email and profile claims for the userinfo endpoint.
        let wanted = self.organisation_claim().is_some() && found.organisation.is_none();
        if (found.email.is_none() || found.name.is_none() || wanted)
            && let Some(url) = userinfo
        {
            let access_token = response.access_token().secret().clone();
            found = found.or(self.userinfo(&url, &access_token, &subject).await?);
        }
        Ok(VerifiedIdentity {
            issuer: claims.issuer().to_string(),
            subject,
            email: found.email,
            email_verified: found.email_verified.unwrap_or(false),
            name: found.name,
            organisation: found.organisation,
            id_token: raw,
        })
    }

    /// The claims from the userinfo endpoint, which must be about the same subject.
    async fn userinfo(
        &self,
        url: &str,
        access_token: &str,
        subject: &str,
    ) -> Result<Claims, OidcError> {
        let response = self
            .http
            .get(url)
            .bearer_auth(access_token)
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .map_err(|e| OidcError::ProviderUnavailable(error_chain(&e)))?;
        if !response.status().is_success() {
            return Err(OidcError::CodeRejected(format!(
                "userinfo answered {}",
                response.status()
            )));
        }
        let body = response
            .bytes()
            .await
            .map_err(|e| OidcError::ProviderUnavailable(error_chain(&e)))?;
        let json: serde_json::Value = serde_json::from_slice(&body)
            .map_err(|e| OidcError::TokenInvalid(format!("userinfo unreadable: {e}")))?;
        if json.get("sub").and_then(|s| s.as_str()) != Some(subject) {
            return Err(OidcError::TokenInvalid(
                "userinfo is about another subject".into(),
            ));
        }
        Ok(Claims::from_json(&json, self.organisation_claim()))
    }

    /// Where to send the browser to end the provider's session too, when it offers that.
    pub async fn logout_url(&self, id_token: Option<&str>) -> Option<String> {
        let (_, end_session, _) = self.client().await.ok()?;
        let mut request = LogoutRequest::from(end_session?)
            .set_client_id(ClientId::new(self.settings.client_id.clone()))
            .set_post_logout_redirect_uri(
                PostLogoutRedirectUrl::new(self.post_logout_url.clone()).ok()?,
            );
        if let Some(token) = id_token.and_then(|t| t.parse::<CoreIdToken>().ok()) {
            request = request.set_id_token_hint(&token);
        }
        Some(request.http_get_url().to_string())
    }
}

/// The checks on a verified ID token that the crate leaves to its user: it was not issued
/// (`iat`) and is not valid only from (`nbf`) a time more than [`CLOCK_SKEW_SECONDS`] ahead
/// of `now`, and an authorized party (`azp`), when named, is this client (OpenID Connect
/// Core 3.1.3.7, steps 5 and 10; RFC 7519 4.1.5). Times are seconds since the epoch.
fn check_time_and_party(
    issued_at: i64,
    not_before: Option<&serde_json::Value>,
    authorized_party: Option<&str>,
    client_id: &str,
    now: i64,
) -> Result<(), String> {
    let latest = now + CLOCK_SKEW_SECONDS;
    if issued_at > latest {
        return Err(format!(
            "issued {} s in the future (iat {issued_at})",
            issued_at - now
        ));
    }
    if let Some(value) = not_before {
        let nbf = value
            .as_f64()
            .ok_or_else(|| format!("nbf is not a time: {value}"))?;
        if nbf > latest as f64 {
            return Err(format!(
                "not valid before {nbf} ({} s from now)",
                nbf as i64 - now
            ));
        }
    }
    if let Some(azp) = authorized_party
        && azp != client_id
    {
        return Err(format!("issued to another client (azp {azp})"));
    }
    Ok(())
}

/// The payload of a token whose signature has already been verified.
fn payload(token: &str) -> Option<serde_json::Value> {
    let part = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// An error and its causes on one line, for logs and the audit row.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_claims_from_a_payload_and_fills_gaps_from_another_source() {
        let encoded = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(
            br#"{"sub":"s","organisation":"101","cvr":29189846,"name":" ","email_verified":"true"}"#,
        );
        let json = payload(&format!("header.{encoded}.signature")).expect("payload");
        let from_token = Claims::from_json(&json, Some("organisation"));
        assert_eq!(from_token.organisation.as_deref(), Some("101"));
        assert_eq!(from_token.email_verified, Some(true));
        assert_eq!(from_token.name, None, "blank is missing");
        assert_eq!(
            Claims::from_json(&json, Some("cvr"))
                .organisation
                .as_deref(),
            Some("29189846")
        );
        let userinfo = serde_json::json!({"sub": "s", "email": "a@b.dk", "name": "Anna", "organisation": "147"});
        let both = from_token.or(Claims::from_json(&userinfo, Some("organisation")));
        assert_eq!(both.email.as_deref(), Some("a@b.dk"));
        assert_eq!(both.name.as_deref(), Some("Anna"));
        assert_eq!(
            both.organisation.as_deref(),
            Some("101"),
            "the token's own value wins"
        );
        assert!(payload("not-a-token").is_none());
    }

    #[test]
    fn refuses_tokens_from_the_future_and_for_other_clients_within_a_minute_of_skew() {
        let now = 1_800_000_000;
        let check = |iat: i64, nbf: Option<serde_json::Value>, azp: Option<&str>| {
            check_time_and_party(iat, nbf.as_ref(), azp, "portal", now)
        };
        assert!(check(now, None, None).is_ok());
        assert!(check(now - 30, Some(serde_json::json!(now - 30)), Some("portal")).is_ok());
        assert!(
            check(now + 60, Some(serde_json::json!(now + 60)), None).is_ok(),
            "skew"
        );
        assert!(check(now + 61, None, None).is_err());
        assert!(check(now, Some(serde_json::json!(now + 61)), None).is_err());
        assert!(check(now, Some(serde_json::json!(now as f64 + 60.5)), None).is_err());
        assert!(check(now, Some(serde_json::json!("soon")), None).is_err());
        assert!(check(now, None, Some("someone-else")).is_err());
    }
}
