using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace MailIdentity.LabServer;

/// <summary>One fake SMTP host: where it listens, what it greets with and how it misbehaves.</summary>
internal sealed class HostSpec
{
    public required string Id { get; init; }
    public required IPAddress Address { get; init; }
    public required int Port { get; init; }
    public required byte[] Greeting { get; init; }
    public required string Behavior { get; init; }
    public byte[]? Ehlo { get; init; }

    /// <summary>The behaviour's name ("drip" of "drip:200").</summary>
    public string Mode => Behavior.Split(':', 2)[0];

    /// <summary>The behaviour's number ("200" of "drip:200"), or the fallback.</summary>
    public int Argument(int fallback)
    {
        var parts = Behavior.Split(':', 2);
        return parts.Length == 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }

    /// <summary>The host name the server calls itself in EHLO: the greeting's first token when it looks like one.</summary>
    public string SelfName
    {
        get
        {
            var text = Encoding.UTF8.GetString(Greeting);
            var parts = text.Length > 4 ? text[4..].Split([' ', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries) : [];
            return parts.Length > 0 && parts[0].Contains('.', StringComparison.Ordinal) && parts[0].All(c => c > ' ' && c < 0x7F && c != '*')
                ? parts[0]
                : "lab.example";
        }
    }

    public override string ToString() => $"{Id} {Endpoint} {Behavior}";

    public string Endpoint => new IPEndPoint(Address, Port).ToString();

    /// <summary>Reads every host whose smtp.server is "fake" from the lab data (and [::1] for alsoIPv6Loopback).</summary>
    public static IEnumerable<HostSpec> FromLabData(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var root = document.RootElement;
        var port = root.TryGetProperty("smtpPort", out var p) ? p.GetInt32() : 2525;
        foreach (var host in root.GetProperty("hosts").EnumerateArray())
        {
            if (!host.TryGetProperty("smtp", out var smtp) || Text(smtp, "server") != "fake")
            {
                continue;
            }

            var id = Text(host, "id") ?? "?";
            var spec = Build(id, IPAddress.Parse(Text(host, "ip")!), port, smtp);
            yield return spec;
            if (smtp.TryGetProperty("alsoIPv6Loopback", out var v6) && v6.ValueKind == JsonValueKind.True)
            {
                yield return Build(id, IPAddress.IPv6Loopback, port, smtp);
            }
        }
    }

    /// <summary>An ad-hoc host from --host: {"id":..,"ip":..,"port":..,"greeting":..,"behavior":..,"ehlo":..}.</summary>
    public static HostSpec FromJson(string json, int defaultPort)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var port = root.TryGetProperty("port", out var p) ? p.GetInt32() : defaultPort;
        return Build(Text(root, "id") ?? "adhoc", IPAddress.Parse(Text(root, "ip") ?? throw new FormatException("--host needs an ip")), port, root);
    }

    private static HostSpec Build(string id, IPAddress address, int port, JsonElement smtp)
    {
        var greeting = Text(smtp, "greeting") ?? "220 lab.example ESMTP LabServer\\r\\n";
        var ehlo = Text(smtp, "ehlo");
        return new HostSpec
        {
            Id = id,
            Address = address,
            Port = port,
            Greeting = Unescape(greeting),
            Behavior = Text(smtp, "behavior") ?? "normal",
            Ehlo = ehlo is null ? null : Unescape(ehlo),
        };
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>printf-style escapes, as in greetings.tsv: \r \n \t \e \\ \xNN; other text as UTF-8.</summary>
    public static byte[] Unescape(string text)
    {
        var bytes = new List<byte>(text.Length);
        var plain = new StringBuilder();
        void Flush()
        {
            bytes.AddRange(Encoding.UTF8.GetBytes(plain.ToString()));
            plain.Clear();
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length)
            {
                byte? escaped = text[i + 1] switch
                {
                    'r' => 13,
                    'n' => 10,
                    't' => 9,
                    'e' => 27,
                    '\\' => (byte)'\\',
                    _ => null,
                };
                if (escaped is byte e)
                {
                    Flush();
                    bytes.Add(e);
                    i++;
                    continue;
                }

                if (text[i + 1] == 'x' && i + 3 < text.Length &&
                    byte.TryParse(text.AsSpan(i + 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b))
                {
                    Flush();
                    bytes.Add(b);
                    i += 3;
                    continue;
                }
            }

            plain.Append(c);
        }

        Flush();
        return bytes.ToArray();
    }
}
