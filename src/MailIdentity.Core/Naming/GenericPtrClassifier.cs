using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using MailIdentity.Text;

namespace MailIdentity.Naming;

/// <summary>
/// Tells a generic or dynamic PTR name (the one an ISP or cloud provider assigns to every address)
/// from a name a mail server's operator chose. Weighted evidence in the spirit of SpamAssassin's
/// RDNS_DYNAMIC and Rspamd's hfilter: the address written into the name (dotted, dashed, reversed,
/// zero-padded, hex, or only its last octets), ISP pool keywords as whole tokens, long digit runs, and
/// the default names of the big cloud providers, recognised by their distinctive labels whatever the
/// top-level domain. Evidence found only in the registrable domain (e.g. a domain called
/// <c>1-2-3-4.example</c>) counts half. Never throws.
/// </summary>
public static class GenericPtrClassifier
{
    /// <summary>The score from which a name counts as generic.</summary>
    public const int Threshold = 50;

    /// <summary>Advice when no provider is recognised: the address holder is an ISP or an unknown host.</summary>
    public const string IspAdvice = "ask the ISP for a static IP with a custom PTR, or relay through a smarthost";

    private const int ProviderWeight = 100;
    private const int FullAddressWeight = 60;
    private const int AddressShapeWeight = 50;
    private const int OtherAddressShapeWeight = 40;
    private const int LastThreeOctetsWeight = 40;
    private const int LastTwoOctetsWeight = 25;
    private const int StrongKeywordWeight = 30;
    private const int KeywordWeight = 15;
    private const int WeakKeywordWeight = 5;
    private const int KeywordCap = 60;
    private const int DigitRunWeight = 15;
    private const int HexRunWeight = 30;
    private const int MailTokenWeight = -10;

    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(200);

    private const string Octet = "([0-9]{1,3})";

    // Not glued to a label's letters (so "ec2-203-0-113-5" gives 203-0-113-5, not 2-203-0-113)...
    private static readonly Regex AddressShape = new(
        "(?<![0-9a-z])" + Octet + "[-._]" + Octet + "[-._]" + Octet + "[-._]" + Octet + "(?![0-9])",
        RegexOptions.CultureInvariant, RegexTimeout);

    // ...unless that is the only way to read it ("dsl203-0-113-5").
    private static readonly Regex AddressShapeInWord = new(
        "(?<![0-9])" + Octet + "[-._]" + Octet + "[-._]" + Octet + "[-._]" + Octet + "(?![0-9])",
        RegexOptions.CultureInvariant, RegexTimeout);

    // Eight hex digits, letters and digits mixed: an IPv4 address in hex (Deutsche Telekom's p5b0c1234).
    private static readonly Regex HexRun = new(
        "(?<![0-9a-f])(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{8}(?![0-9a-f])", RegexOptions.CultureInvariant, RegexTimeout);

    private static readonly Regex DigitRun = new("[0-9]{5,}", RegexOptions.CultureInvariant, RegexTimeout);

    private static readonly Regex DigitalOceanDroplet = new(
        "-s-[0-9]+vcpu-[0-9]+gb-", RegexOptions.CultureInvariant, RegexTimeout);

    private static readonly Regex OvhReverseZone = new(
        "^ip-[0-9]{1,3}-[0-9]{1,3}-[0-9]{1,3}(-[0-9]{1,3})?$", RegexOptions.CultureInvariant, RegexTimeout);

    private static readonly Regex OvhDefaultHost = new(
        "^(vps|ns|ip)[-0-9a-f]*[0-9]", RegexOptions.CultureInvariant, RegexTimeout);

    /// <summary>Tokens typical of dynamic, consumer or access-network address pools.</summary>
    private static readonly HashSet<string> StrongTokens = new(StringComparer.Ordinal)
    {
        "dyn", "dynamic", "dynamicip", "dynip", "dhcp", "dial", "dialup", "dialin", "dip", "ppp", "pppoe",
        "pool", "pools", "dsl", "adsl", "xdsl", "vdsl", "sdsl", "cable", "cablemodem", "kabel", "modem",
        "broadband", "bredband", "residential", "resnet", "cpe", "ftth", "fttb", "fttx", "hsd", "cgnat",
        "mobile", "lte", "unassigned", "unallocated", "unused", "generic",
    };

    /// <summary>Tokens common in ISP customer naming, but also found in chosen names.</summary>
    private static readonly HashSet<string> MediumTokens = new(StringComparer.Ordinal)
    {
        "client", "clients", "customer", "customers", "cust", "user", "users", "subscriber", "subscribers",
        "host", "ip", "res", "home", "nat", "wifi", "wireless", "wlan", "staticip", "rev", "reverse",
        "unknown", "vps",
    };

    /// <summary>Tokens of a name someone chose for a mail server.</summary>
    private static readonly HashSet<string> MailTokens = new(StringComparer.Ordinal)
    {
        "mail", "smtp", "mx", "mta", "relay", "out", "outbound", "mailout", "smtpout", "email", "mailer",
    };

    private static readonly ProviderRule[] Providers =
    {
        new("Amazon EC2", "*.compute.amazonaws.* / *.ec2.internal",
            "request a reverse DNS record for the Elastic IP (EC2 console: Elastic IPs > Update reverse DNS; or the AWS support form)",
            (labels, shape) => EndsWith(labels, 1, 2, "compute", "amazonaws") || EndsWith(labels, 1, 2, "compute-1", "amazonaws") ||
                EndsWith(labels, 0, 0, "ec2", "internal") || EndsWith(labels, 0, 0, "compute", "internal")),
        new("Google Cloud", "*.bc.googleusercontent.*",
            "set a custom PTR on the VM's external IP (gcloud compute instances update-access-config VM --public-ptr --public-ptr-domain=mail.example.com; the domain must be verified for the project)",
            (labels, shape) => EndsWith(labels, 1, 2, "bc", "googleusercontent")),
        new("Microsoft Azure", "*.cloudapp.azure.* / *.cloudapp.net",
            "set the reverse FQDN of the public IP (az network public-ip update -g RG -n IP --reverse-fqdn mail.example.com; the name must resolve to the IP first)",
            (labels, shape) => EndsWith(labels, 1, 2, "cloudapp", "azure") || EndsWith(labels, 1, 1, "cloudapp")),
        new("DigitalOcean", "image-s-Nvcpu-Ngb-region-NN, a Droplet's default name",
            "rename the Droplet to the mail host's FQDN (e.g. mail.example.com): DigitalOcean sets the PTR from the Droplet name",
            (labels, shape) => DigitalOceanDroplet.IsMatch(labels[0])),
        new("Linode/Akamai", "*.members.linode.* / *.linodeusercontent.*",
            "set the reverse DNS in Cloud Manager (Linode > Network > the IP > Edit RDNS); the name must resolve to the IP first",
            (labels, shape) => EndsWith(labels, 1, 2, "members", "linode") || EndsWith(labels, 1, 2, "linodeusercontent")),
        new("OVHcloud", "ip-A-B-C.* / *.vps.ovh.*",
            "set the reverse in the OVHcloud Control Panel (Network > Public IP addresses > ... > Modify the reverse DNS) or the API (POST /ip/{ip}/reverse); the name must resolve to the IP first",
            (labels, shape) => (labels.Length >= 2 && OvhReverseZone.IsMatch(labels[labels.Length - 2])) ||
                (EndsWith(labels, 1, 1, "ovh") && labels.Length >= 3 && OvhDefaultHost.IsMatch(labels[0]))),
        new("Hetzner", "static.*.clients.your-server.*",
            "set the reverse DNS in Hetzner Robot (server > IPs) or the Hetzner Cloud Console (server > Networking > Reverse DNS)",
            (labels, shape) => EndsWith(labels, 1, 2, "clients", "your-server")),
        new("Vultr", "*.vultrusercontent.* / A.B.C.D.vultr.*",
            "set the reverse DNS in the Vultr customer portal (server > Settings > IPv4 > Reverse DNS)",
            (labels, shape) => EndsWith(labels, 1, 2, "vultrusercontent") || (EndsWith(labels, 1, 1, "vultr") && shape)),
        new("Oracle Cloud", "*.oraclevcn.* / *.oraclecloud.*",
            "ask Oracle Cloud support (a service request) for a PTR on the reserved public IP; the name must resolve to the IP first",
            (labels, shape) => EndsWith(labels, 1, 2, "oraclevcn") || (EndsWith(labels, 1, 2, "oraclecloud") && shape)),
        new("Contabo", "vmiNNNNNN.contaboserver.*",
            "set the PTR in the Contabo customer control panel (Reverse DNS management)",
            (labels, shape) => EndsWith(labels, 1, 2, "contaboserver")),
    };

    /// <summary>
    /// Classifies <paramref name="hostname"/> (a PTR name), using <paramref name="address"/> (the address
    /// it is the PTR of, if known) to find the address written into the name. Blank or malformed names
    /// are not generic (score 0, no reasons); a name that is itself an IP address is generic.
    /// </summary>
    public static GenericPtrVerdict Classify(string? hostname, IPAddress? address)
    {
        var reasons = new List<string>();
        if (hostname is null || hostname.Length > 1024)
        {
            return new GenericPtrVerdict(0, reasons, null, null);
        }

        if (IPAddressText.TryParse(hostname.Trim().TrimEnd('.'), out var literal))
        {
            reasons.Add("the name is an IP address (" + literal + "), not a host name");
            return new GenericPtrVerdict(ProviderWeight, reasons, null, IspAdvice);
        }

        var name = PublicSuffixRules.Prepare(hostname);
        if (name is null)
        {
            return new GenericPtrVerdict(0, reasons, null, null);
        }

        if (name.EndsWith(".in-addr.arpa", StringComparison.Ordinal) || name.EndsWith(".ip6.arpa", StringComparison.Ordinal))
        {
            reasons.Add("the name is a reverse-lookup name (" + name + "), not a host name");
            return new GenericPtrVerdict(ProviderWeight, reasons, null, IspAdvice);
        }

        if (address is not null && address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        try
        {
            return Score(name, address, reasons);
        }
        catch (RegexMatchTimeoutException)
        {
            // Cannot happen for names of at most 253 characters; be safe rather than throw.
            return new GenericPtrVerdict(0, reasons, null, null);
        }
    }

    private static GenericPtrVerdict Score(string name, IPAddress? address, List<string> reasons)
    {
        var labels = name.Split('.');

        // Host labels: left of the registrable domain. Domain label: the registrable domain's own label.
        // When the whole name is a public suffix (e.g. under *.compute-1.amazonaws.com), all but the TLD.
        // ICANN rules only: under a private suffix such as *.compute.amazonaws.com every customer label
        // would count as "registrable", but nobody bought ec2-203-0-113-5 from a registry.
        var registrable = PublicSuffixList.RegistrableDomain(name, includePrivateDomains: false);
        string hostPart;
        string domainPart;
        if (registrable is null)
        {
            hostPart = labels.Length > 1 ? name.Substring(0, name.LastIndexOf('.')) : name;
            domainPart = string.Empty;
        }
        else
        {
            hostPart = registrable.Length < name.Length ? name.Substring(0, name.Length - registrable.Length - 1) : string.Empty;
            domainPart = registrable.Substring(0, registrable.IndexOf('.'));
        }

        var score = 0;
        var addressText = address?.ToString();
        var hostShape = MatchAddressShape(hostPart);
        var hasShape = IsAddressShape(hostShape);

        // The address written into the name.
        var found = false;
        Match? hostMatch = null;
        for (var pass = 0; pass < 2; pass++)
        {
            var inDomain = pass == 1;
            var part = inDomain ? domainPart : hostPart;
            if (found || part.Length == 0)
            {
                continue;
            }

            var scale = inDomain ? 2 : 1;
            var where = inDomain ? " in its registrable domain only (weaker evidence)" : string.Empty;
            foreach (var form in AddressForms(address))
            {
                var match = form.Pattern.Match(part);
                if (match.Success)
                {
                    score += form.Weight / scale;
                    reasons.Add(string.Format(CultureInfo.InvariantCulture, form.Reason, addressText, match.Value) + where);
                    found = true;
                    hostMatch = inDomain ? null : match;
                    break;
                }
            }

            if (found)
            {
                continue;
            }

            var shape = inDomain ? MatchAddressShape(part) : hostShape;
            if (IsAddressShape(shape))
            {
                score += (address is null ? AddressShapeWeight : OtherAddressShapeWeight) / scale;
                reasons.Add("the name contains an IP-address-like number sequence (" + shape.Value + ")" +
                    (address is null ? string.Empty : ", not " + addressText) + where);
                found = true;
                hostMatch = inDomain ? null : shape;
                continue;
            }

            foreach (var form in PartialAddressForms(address))
            {
                var match = form.Pattern.Match(part);
                if (match.Success)
                {
                    score += form.Weight / scale;
                    reasons.Add(string.Format(CultureInfo.InvariantCulture, form.Reason, addressText, match.Value) + where);
                    found = true;
                    break;
                }
            }
        }

        if (!found)
        {
            var hex = HexRun.Match(hostPart);
            if (hex.Success)
            {
                score += address is null ? HexRunWeight : HexRunWeight / 2;
                reasons.Add("the name has eight hex digits (" + hex.Value + ") that may be an IPv4 address" +
                    (address is null ? string.Empty : ", though not " + addressText));
            }
        }

        // Pool keywords and long digit runs, in the host labels only.
        var keywordScore = 0;
        string? mailToken = null;
        var tokens = Tokens(hostPart);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (!seen.Add(token))
            {
                continue;
            }

            if (StrongTokens.Contains(token))
            {
                keywordScore += StrongKeywordWeight;
                reasons.Add("the name has the token '" + token + "', typical of dynamic or consumer address pools");
            }
            else if (MediumTokens.Contains(token))
            {
                keywordScore += KeywordWeight;
                reasons.Add("the name has the token '" + token + "', common in ISP customer naming");
            }
            else if (token == "static")
            {
                var staticIp = i + 1 < tokens.Count && tokens[i + 1] == "ip";
                keywordScore += staticIp ? KeywordWeight : WeakKeywordWeight;
                reasons.Add(staticIp
                    ? "the name has the tokens 'static ip', an ISP's static customer pool"
                    : "the name has the token 'static' (weak on its own: ISPs use it for static customer pools)");
            }
            else if (mailToken is null && MailTokens.Contains(token))
            {
                mailToken = token;
            }
        }

        score += Math.Min(keywordScore, KeywordCap);

        // A run of digits that is the address itself was counted above.
        var run = DigitRun.Match(hostMatch is null ? hostPart : hostPart.Remove(hostMatch.Index, hostMatch.Length));
        if (run.Success)
        {
            score += DigitRunWeight;
            reasons.Add("the name has a long run of digits (" + run.Value + ")");
        }

        // Cloud and hosting providers' default names.
        string? provider = null;
        string? advice = null;
        foreach (var rule in Providers)
        {
            if (rule.Matches(labels, hasShape || found))
            {
                provider = rule.Name;
                advice = rule.Advice;
                score += ProviderWeight;
                reasons.Add("the name is " + rule.Name + "'s default rDNS name (" + rule.Shape + ")");
                break;
            }
        }

        if (mailToken is not null && score > 0 && provider is null)
        {
            score += MailTokenWeight;
            reasons.Add("the name has the mail-server token '" + mailToken + "' (counts against generic)");
        }

        return new GenericPtrVerdict(score, reasons, provider, advice ?? IspAdvice);
    }

    private static Match MatchAddressShape(string text)
    {
        var match = FirstAddressShape(AddressShape, text);
        return match.Success ? match : FirstAddressShape(AddressShapeInWord, text);
    }

    /// <summary>The first match whose numbers are all octets; overlapping candidates are tried ("300-1-2-3-4").</summary>
    private static Match FirstAddressShape(Regex pattern, string text)
    {
        var match = pattern.Match(text);
        while (match.Success && !IsAddressShape(match))
        {
            match = match.Index + 1 < text.Length ? pattern.Match(text, match.Index + 1) : Match.Empty;
        }

        return match;
    }

    private static bool IsAddressShape(Match match)
    {
        if (!match.Success)
        {
            return false;
        }

        for (var g = 1; g <= 4; g++)
        {
            if (int.Parse(match.Groups[g].Value, NumberStyles.None, CultureInfo.InvariantCulture) > 255)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Splits host labels into tokens at separators and at letter/digit boundaries ("dsl123" = "dsl", "123").</summary>
    private static List<string> Tokens(string text)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        var lastWasDigit = false;
        foreach (var c in text)
        {
            var isDigit = c >= '0' && c <= '9';
            var isLetter = c >= 'a' && c <= 'z';
            if ((!isDigit && !isLetter) || (current.Length > 0 && isDigit != lastWasDigit))
            {
                if (current.Length > 0)
                {
                    tokens.Add(current.ToString());
                    current.Clear();
                }
            }

            if (isDigit || isLetter)
            {
                current.Append(c);
                lastWasDigit = isDigit;
            }
        }

        if (current.Length > 0)
        {
            tokens.Add(current.ToString());
        }

        return tokens;
    }

    /// <summary>True when the labels end with <paramref name="sequence"/> followed by between min and max more labels.</summary>
    private static bool EndsWith(string[] labels, int minTrailing, int maxTrailing, params string[] sequence)
    {
        for (var trailing = minTrailing; trailing <= maxTrailing; trailing++)
        {
            // A default name always has a host label before the provider's labels.
            var start = labels.Length - trailing - sequence.Length;
            if (start < 1)
            {
                continue;
            }

            var all = true;
            for (var i = 0; i < sequence.Length && all; i++)
            {
                all = string.Equals(labels[start + i], sequence[i], StringComparison.Ordinal);
            }

            if (all)
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<AddressForm> AddressForms(IPAddress? address)
    {
        if (address is null)
        {
            yield break;
        }

        var bytes = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var a = bytes[0];
            var b = bytes[1];
            var c = bytes[2];
            var d = bytes[3];
            yield return new AddressForm(Separated(a, b, c, d), FullAddressWeight, "the name contains the IP address {0} ({1})");
            yield return new AddressForm(Separated(d, c, b, a), FullAddressWeight, "the name contains the IP address {0} in reverse order ({1})");
            yield return new AddressForm(Exact(Padded(a, b, c, d), "[0-9]"), FullAddressWeight, "the name contains the IP address {0} zero-padded ({1})");
            yield return new AddressForm(Exact(Padded(d, c, b, a), "[0-9]"), FullAddressWeight, "the name contains the IP address {0} zero-padded in reverse order ({1})");
            yield return new AddressForm(Literal(Hex(a, b, c, d)), FullAddressWeight, "the name contains the IP address {0} in hex ({1})");
            yield return new AddressForm(Literal(Hex(d, c, b, a)), FullAddressWeight, "the name contains the IP address {0} in hex, reverse order ({1})");
            var number = ((uint)a << 24) | ((uint)b << 16) | ((uint)c << 8) | d;
            if (number >= 10_000_000)
            {
                yield return new AddressForm(Exact(number.ToString(CultureInfo.InvariantCulture), "[0-9]"), FullAddressWeight, "the name contains the IP address {0} as one number ({1})");
            }
        }
        else if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var groups = new string[8];
            var nibbles = new StringBuilder(32);
            for (var i = 0; i < 8; i++)
            {
                var value = (bytes[2 * i] << 8) | bytes[(2 * i) + 1];
                groups[i] = value == 0 ? "0{1,4}" : "0{0,3}" + value.ToString("x", CultureInfo.InvariantCulture);
                nibbles.Append(value.ToString("x4", CultureInfo.InvariantCulture));
            }

            yield return new AddressForm(
                Exact(string.Join("[-._]", groups), "[0-9a-f]"), FullAddressWeight, "the name contains the IPv6 address {0} ({1})");
            yield return new AddressForm(Literal(nibbles.ToString()), FullAddressWeight, "the name contains the IPv6 address {0} as hex digits ({1})");
            var reversed = new StringBuilder(63);
            for (var i = 31; i >= 0; i--)
            {
                reversed.Append(nibbles[i]);
                if (i > 0)
                {
                    reversed.Append('.');
                }
            }

            yield return new AddressForm(Literal(reversed.ToString()), FullAddressWeight, "the name contains the IPv6 address {0} as reversed nibbles ({1})");
        }
    }

    private static IEnumerable<AddressForm> PartialAddressForms(IPAddress? address)
    {
        if (address is null)
        {
            yield break;
        }

        var bytes = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = bytes[1];
            var c = bytes[2];
            var d = bytes[3];
            yield return new AddressForm(Separated(b, c, d), LastThreeOctetsWeight, "the name contains the last three octets of {0} ({1})");
            yield return new AddressForm(Separated(d, c, b), LastThreeOctetsWeight, "the name contains the last three octets of {0} in reverse order ({1})");
            yield return new AddressForm(Separated(c, d), LastTwoOctetsWeight, "the name contains the last two octets of {0} ({1})");
            yield return new AddressForm(Separated(d, c), LastTwoOctetsWeight, "the name contains the last two octets of {0} in reverse order ({1})");
        }
        else if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            // The interface identifier (low 64 bits), unless it is too plain (like ::1) to be evidence.
            var groups = new string[4];
            var plain = new StringBuilder(16);
            var nonZero = 0;
            for (var i = 0; i < 4; i++)
            {
                var value = (bytes[8 + (2 * i)] << 8) | bytes[9 + (2 * i)];
                nonZero += value == 0 ? 0 : 1;
                groups[i] = value == 0 ? "0{1,4}" : "0{0,3}" + value.ToString("x", CultureInfo.InvariantCulture);
                plain.Append(value.ToString("x4", CultureInfo.InvariantCulture));
            }

            if (nonZero >= 2)
            {
                yield return new AddressForm(Exact(string.Join("[-._]", groups), "[0-9a-f]"), LastThreeOctetsWeight, "the name contains the interface identifier of {0} ({1})");
                yield return new AddressForm(Literal(plain.ToString()), LastThreeOctetsWeight, "the name contains the interface identifier of {0} as hex digits ({1})");
            }
        }
    }

    private static Regex Separated(params byte[] octets)
    {
        var parts = new string[octets.Length];
        for (var i = 0; i < octets.Length; i++)
        {
            var o = octets[i];
            var text = o.ToString(CultureInfo.InvariantCulture);
            parts[i] = o == 0 ? "0{1,3}" : o < 10 ? "0{0,2}" + text : o < 100 ? "0?" + text : text;
        }

        return Exact(string.Join("[-._]", parts), "[0-9]");
    }

    private static string Padded(params byte[] octets)
    {
        var builder = new StringBuilder(12);
        foreach (var o in octets)
        {
            builder.Append(o.ToString("D3", CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }

    private static string Hex(params byte[] octets)
    {
        var builder = new StringBuilder(8);
        foreach (var o in octets)
        {
            builder.Append(o.ToString("x2", CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }

    /// <summary>The pattern, not touching a character of <paramref name="neighbour"/> on either side.</summary>
    private static Regex Exact(string pattern, string neighbour) =>
        new("(?<!" + neighbour + ")" + pattern + "(?!" + neighbour + ")", RegexOptions.CultureInvariant, RegexTimeout);

    private static Regex Literal(string text) => new(Regex.Escape(text), RegexOptions.CultureInvariant, RegexTimeout);

    private sealed class AddressForm
    {
        public AddressForm(Regex pattern, int weight, string reason)
        {
            Pattern = pattern;
            Weight = weight;
            Reason = reason;
        }

        public Regex Pattern { get; }

        public int Weight { get; }

        /// <summary>Composite format: {0} the address, {1} the text found in the name.</summary>
        public string Reason { get; }
    }

    private sealed class ProviderRule
    {
        private readonly Func<string[], bool, bool> matches;

        public ProviderRule(string name, string shape, string advice, Func<string[], bool, bool> matches)
        {
            Name = name;
            Shape = shape;
            Advice = advice;
            this.matches = matches;
        }

        public string Name { get; }

        /// <summary>The default-name shape, shown in the reason.</summary>
        public string Shape { get; }

        public string Advice { get; }

        /// <summary>Labels of the whole name; the flag says the name carries an address.</summary>
        public bool Matches(string[] labels, bool carriesAddress) => matches(labels, carriesAddress);
    }
}
