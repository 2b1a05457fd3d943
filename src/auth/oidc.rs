//! Sign-in through the organisation's OpenID Connect provider (MitID Erhverv via a broker,
//! Unilogin): discovery, the authorization code flow with PKCE, `state` and `nonce`, the ID
//! token's signature, issuer, audience and expiry checked by the `openidconnect` crate, and
//! RP-initiated logout. What the provider says is turned into a [`VerifiedIdentity`]; who
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
    PkceCodeChallenge, PkceCodeVerifier, PostLogoutRedirectUrl, ProviderMetadataWithLogout,
    RedirectUrl, RequestTokenError, Scope, StandardErrorResponse, TokenResponse,
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
/// How long the portal waits for the provider before telling the person it is down.
const PROVIDER_TIMEOUT: Duration = Duration::from_secs(10);

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
    fetched: Instant,
}

/// The portal's relying party: settings, an HTTP client that never follows redirects, and
/// the discovery document, fetched on first use and refreshed now and then.
pub struct Oidc {
    settings: OidcSettings,
    redirect_url: RedirectUrl,
    post_logout_url: String,
    http: reqwest::Client,
    discovered: Mutex<Option<Discovered>>,
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
            discovered: Mutex::new(None),
        })
    }

    pub fn button_text(&self) -> &str {
        &self.settings.button_text
    }

    pub fn issuer(&self) -> &str {
        &self.settings.issuer
    }

    pub fn organisation_claim(&self) -> Option<&str> {
        self.settings.organisation_claim.as_deref()
    }

    /// The client from a fresh-enough discovery; a failed refresh falls back to the last
    /// good document, so a provider hiccup does not stop sign-ins already under way.
    async fn client(&self) -> Result<(ProviderClient, Option<EndSessionUrl>), OidcError> {
        let mut cached = self.discovered.lock().await;
        let fresh = cached
            .as_ref()
            .is_some_and(|d| d.fetched.elapsed() < DISCOVERY_TTL);
        if !fresh {
            match self.discover().await {
                Ok(found) => *cached = Some(found),
                Err(e) if cached.is_none() => return Err(e),
                Err(e) => {
                    tracing::warn!(error = %e, "provider discovery failed; using the last one")
                }
            }
        }
        let d = cached
            .as_ref()
            .ok_or_else(|| OidcError::ProviderUnavailable("no discovery".into()))?;
        Ok((d.client.clone(), d.end_session.clone()))
    }

    async fn discover(&self) -> Result<Discovered, OidcError> {
        let issuer = IssuerUrl::new(self.settings.issuer.clone())
            .map_err(|e| OidcError::ProviderUnavailable(e.to_string()))?;
        let metadata = ProviderMetadataWithLogout::discover_async(issuer, &self.http)
            .await
            .map_err(|e| OidcError::ProviderUnavailable(error_chain(&e)))?;
        let end_session = metadata.additional_metadata().end_session_endpoint.clone();
        let client = Client::from_provider_metadata(
            metadata,
            ClientId::new(self.settings.client_id.clone()),
            Some(ClientSecret::new(self.settings.client_secret.clone())),
        )
        .set_redirect_uri(self.redirect_url.clone());
        Ok(Discovered {
            client,
            end_session,
            fetched: Instant::now(),
        })
    }

    /// Starts a sign-in: a fresh `state`, `nonce` and PKCE pair, and the provider's URL.
    pub async fn begin(&self) -> Result<Begun, OidcError> {
        let (client, _) = self.client().await?;
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
        let (client, _) = self.client().await?;
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
        let claims = id_token
            .claims(&client.id_token_verifier(), &Nonce::new(nonce.to_string()))
            .map_err(|e| OidcError::TokenInvalid(e.to_string()))?;
        let raw = id_token.to_string();
        let organisation = match self.organisation_claim() {
            Some(claim) => payload_claim(&raw, claim),
            None => None,
        };
        Ok(VerifiedIdentity {
            issuer: claims.issuer().to_string(),
            subject: claims.subject().to_string(),
            email: claims.email().map(|e| e.to_string()),
            email_verified: claims.email_verified().unwrap_or(false),
            name: claims
                .name()
                .and_then(|n| n.get(None))
                .map(|n| n.to_string()),
            organisation,
            id_token: raw,
        })
    }

    /// Where to send the browser to end the provider's session too, when it offers that.
    pub async fn logout_url(&self, id_token: Option<&str>) -> Option<String> {
        let (_, end_session) = self.client().await.ok()?;
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

/// A string claim from a token whose signature has already been verified.
fn payload_claim(token: &str, claim: &str) -> Option<String> {
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .ok()?;
    let json: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    match json.get(claim)? {
        serde_json::Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
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
    fn reads_a_string_or_number_claim_from_the_payload() {
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(br#"{"organisation":"101","cvr":29189846,"empty":" "}"#);
        let token = format!("header.{payload}.signature");
        assert_eq!(
            payload_claim(&token, "organisation").as_deref(),
            Some("101")
        );
        assert_eq!(payload_claim(&token, "cvr").as_deref(), Some("29189846"));
        assert_eq!(payload_claim(&token, "empty"), None);
        assert_eq!(payload_claim(&token, "missing"), None);
        assert_eq!(payload_claim("not-a-token", "organisation"), None);
    }
}
