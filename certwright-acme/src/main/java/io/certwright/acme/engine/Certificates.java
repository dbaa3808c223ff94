package io.certwright.acme.engine;

import io.certwright.acme.AcmeCertificate;
import io.certwright.acme.AcmeException;
import io.certwright.acme.AcmeIssuer;
import io.certwright.acme.AcmeIssuerException;
import io.certwright.acme.AcmeJson;
import io.certwright.acme.AcmeProblem;
import io.certwright.acme.AcmeProblemType;
import io.certwright.acme.Identifiers;
import io.certwright.acme.ari.CertificateId;
import io.certwright.acme.ari.RenewalWindow;
import io.certwright.acme.ari.RenewalWindows;
import io.certwright.acme.jws.AccountKey;
import io.certwright.acme.store.Account;
import io.certwright.acme.store.AcmeStoreException;
import io.certwright.acme.store.Identifier;
import io.certwright.ca.Pem;
import io.certwright.ca.policy.IpRange;
import io.certwright.ca.registry.RevocationReason;
import io.certwright.core.SerialNumber;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/// Certificates (RFC 8555 sections 7.4.2 and 7.6, RFC 9773): download, revocation by the account or by the
/// certificate's key, and renewal information.
final class Certificates {

    /// Reasons a subscriber may give (RFC 5280 section 5.3.1): not the CA's own (cACompromise,
    /// aACompromise), not a hold (it cannot be released through ACME), not removeFromCRL or the unused 7.
    private static final Set<Integer> SUBSCRIBER_REASONS = Set.of(0, 1, 3, 4, 5, 9);

    private final Engine engine;

    Certificates(Engine engine) {
        this.engine = engine;
    }

    Reply download(Call call) throws AcmeException, AcmeIssuerException {
        if (!call.jws().isPostAsGet()) {
            throw AcmeException.of(AcmeProblemType.MALFORMED, "certificates are read with POST-as-GET");
        }
        SerialNumber serial = SerialNumber.parseHex(call.route.param());
        AcmeCertificate cert = engine.issuer.find(serial).orElseThrow(Route::notFound);
        if (!cert.requester().equals(Call.actorOf(call.account()))) {
            throw AcmeException.of(AcmeProblemType.UNAUTHORIZED, "the certificate was issued to another account");
        }
        // The leaf as stored (its PEM is the encoding of the certificate), then its issuers: no parse.
        return Reply.text(200, cert.pem() + Pem.certificates(engine.issuer.issuingChain(cert)), Reply.PEM_CHAIN);
    }

    Reply revoke(Call call) throws AcmeException, AcmeStoreException, AcmeIssuerException {
        JsonNode p = call.jws().payloadObject();
        String text = AcmeJson.string(p, "certificate").orElseThrow(() -> AcmeException.of(
                AcmeProblemType.MALFORMED, "the revocation request has no 'certificate'"));
        byte[] der = AcmeJson.base64Url(text, "'certificate'");
        X509Certificate submitted;
        try {
            submitted = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | RuntimeException e) {
            throw AcmeException.of(AcmeProblemType.MALFORMED, "'certificate' is not a DER X.509 certificate");
        }
        RevocationReason reason = reason(p);
        SerialNumber serial;
        try {
            serial = new SerialNumber(submitted.getSerialNumber());
        } catch (IllegalArgumentException e) {
            throw notOurs();
        }
        Optional<AcmeCertificate> found = engine.issuer.find(serial);
        if (found.isEmpty() || !Arrays.equals(found.get().der(), der)) {
            throw notOurs();
        }
        AcmeCertificate cert = found.get();
        Optional<Account> account = call.optionalAccount();
        if (account.isPresent()) {
            if (!cert.requester().equals(Call.actorOf(account.get())) && !authorizedFor(account.get(), cert, call)) {
                throw AcmeException.of(AcmeProblemType.UNAUTHORIZED, "the account neither ordered this certificate "
                        + "nor holds valid authorizations for all of its identifiers");
            }
        } else {
            Optional<AccountKey> certKey = AccountKey.of(cert.certificate().getPublicKey());
            if (certKey.isEmpty() || !certKey.get().sameKey(call.key())) {
                throw AcmeException.of(AcmeProblemType.UNAUTHORIZED, "the request is not signed by the "
                        + "certificate's key");
            }
        }
        if (cert.revoked()) {
            throw AcmeException.of(AcmeProblemType.ALREADY_REVOKED, "the certificate is revoked already");
        }
        // A replay of this request must not revoke: the nonce is spent before the CA is asked.
        engine.spendNonce(call);
        AcmeIssuer.RevocationResult result = engine.issuer.revoke(serial, reason, call.actor());
        switch (result) {
            case ALREADY_REVOKED -> throw AcmeException.of(AcmeProblemType.ALREADY_REVOKED,
                    "the certificate is revoked already");
            case UNKNOWN -> throw notOurs();
            case REVOKED -> engine.success(call, "acme.certificate.revoke", serial.hex(), Map.of("reason",
                    reason.wireName(), "by", account.isPresent() ? "account" : "certificate key"));
        }
        return Reply.empty(200);
    }

    private static AcmeException notOurs() {
        return AcmeException.of(AcmeProblemType.MALFORMED, "the certificate was not issued by this server");
    }

    private static RevocationReason reason(JsonNode p) throws AcmeException {
        Optional<JsonNode> node = p.optional("reason").filter(n -> !n.isNull());
        if (node.isEmpty()) {
            return RevocationReason.UNSPECIFIED;
        }
        if (!node.get().isIntegralNumber() || !node.get().canConvertToInt()
                || !SUBSCRIBER_REASONS.contains(node.get().intValue())) {
            throw AcmeException.of(AcmeProblemType.BAD_REVOCATION_REASON, "the revocation reason must be one of "
                    + SUBSCRIBER_REASONS.stream().sorted().toList() + " (RFC 5280 CRLReason codes a subscriber may "
                    + "give)");
        }
        return RevocationReason.ofCode(node.get().intValue());
    }

    /// Whether `account` holds valid, unexpired authorizations for every identifier of the certificate.
    private boolean authorizedFor(Account account, AcmeCertificate cert, Call call)
            throws AcmeStoreException, AcmeIssuerException {
        List<Identifier> ids = identifiers(cert.certificate());
        if (ids.isEmpty()) {
            return false;
        }
        for (Identifier id : ids) {
            boolean wildcard = id.isWildcard();
            Identifier base = wildcard ? Identifier.dns(id.value().substring(2)) : id;
            boolean held = engine.store.reusableAuthorization(account.id(), base, wildcard, call.now).isPresent()
                    || (wildcard && engine.store.reusableAuthorization(account.id(), base, false, call.now)
                            .isPresent());
            if (!held) {
                return false;
            }
        }
        return true;
    }

    /// The DNS and IP identifiers a certificate's subject alternative names carry.
    static List<Identifier> identifiers(X509Certificate cert) {
        Collection<List<?>> sans;
        try {
            sans = cert.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return List.of();
        }
        if (sans == null) {
            return List.of();
        }
        List<Identifier> out = new ArrayList<>();
        for (List<?> san : sans) {
            if (san.size() < 2 || !(san.get(0) instanceof Integer type) || !(san.get(1) instanceof String value)) {
                continue;
            }
            try {
                if (type == 2) {
                    out.add(Identifier.dns(value.toLowerCase(Locale.ROOT)));
                } else if (type == 7) {
                    out.add(Identifier.ip(Identifiers.canonical(IpRange.parseLiteral(value))));
                }
            } catch (IllegalArgumentException e) {
                // not an identifier ACME knows; ignore
            }
        }
        return out;
    }

    Reply renewalInfo(Call call) throws AcmeException, AcmeStoreException, AcmeIssuerException {
        CertificateId id = CertificateId.parse(call.route.param());
        Optional<AcmeCertificate> cert = engine.issuer.find(id.serial());
        if (cert.isEmpty() || !cert.get().issuerKeyId().equals(Optional.of(id.issuerKeyId()))) {
            throw new AcmeException(AcmeProblem.of(AcmeProblemType.MALFORMED, "no certificate " + id + " was issued "
                    + "here").withStatus(404));
        }
        AcmeCertificate c = cert.get();
        RenewalWindow window = RenewalWindows.suggest(c.notBefore(), c.notAfter(), c.serial(), c.issuerKeyId(),
                c.revoked(), engine.store.renewalOverrides(), call.now);
        ObjectNode body = Wire.object();
        ObjectNode w = body.putObject("suggestedWindow");
        w.put("start", window.start().toString());
        w.put("end", window.end().toString());
        window.explanationUrl().ifPresent(u -> body.put("explanationURL", u));
        return Reply.json(200, body).header("Retry-After",
                Long.toString(engine.settings.renewalInfoRetryAfter().toSeconds()));
    }
}
