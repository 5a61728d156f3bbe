using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using System.Text;
using MailIdentity.Smtp;
using MailIdentity.Text;
using Xunit;

namespace MailIdentity.Core.Tests.Smtp;

public class SmtpGreetingTests
{
    public static IEnumerable<object[]> Rows() => GreetingCases.Rows();

    internal static BannerHostKind ExpectedKind(string host) => host switch
    {
        "" => BannerHostKind.Missing,
        "*masked*" => BannerHostKind.Masked,
        _ when host.StartsWith('[') => BannerHostKind.AddressLiteral,
        _ when HostName.IsFqdn(host) => BannerHostKind.Fqdn,
        _ => BannerHostKind.NotFqdn,
    };

    private static void AssertCase(SmtpGreeting greeting, string host, int code)
    {
        Assert.True(greeting.Reply.IsComplete, greeting.Reply.Problem.ToString());
        Assert.Equal(code, greeting.Code);
        Assert.Equal(ExpectedKind(host), greeting.HostKind);
        if (host is "" or "*masked*")
        {
            Assert.Null(greeting.Host);
        }
        else
        {
            Assert.Equal(host, greeting.Host, ignoreCase: true);
            Assert.Equal(host.ToLowerInvariant(), greeting.Host);
        }
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Every_case_row_gives_its_host_kind_and_code(string id, string greeting, string host, int code)
    {
        var parsed = SmtpGreeting.Parse(GreetingCases.Unescape(greeting));
        AssertCase(parsed, host, code);
        Assert.False(string.IsNullOrEmpty(id));
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Every_case_row_read_one_byte_at_a_time_gives_the_same(string id, string greeting, string host, int code)
    {
        var bytes = GreetingCases.Unescape(greeting);
        var parser = new SmtpReplyParser();
        for (var i = 0; i < bytes.Length; i++)
        {
            Assert.False(parser.IsDone, $"{id}: done before byte {i}");
            Assert.Equal(1, parser.Feed(bytes, i, 1));
        }

        AssertCase(SmtpGreeting.FromReply(parser.ToReply()), host, code);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Every_case_row_with_bare_line_feeds_gives_the_same(string id, string greeting, string host, int code)
    {
        var bytes = GreetingCases.Unescape(greeting.Replace("\\r\\n", "\\n", StringComparison.Ordinal));
        var parsed = SmtpGreeting.Parse(bytes);
        AssertCase(parsed, host, code);
        Assert.True(parsed.Reply.BareLineFeeds, id);
    }

    [Fact]
    public void Multi_line_greeting_takes_the_host_from_the_first_line_only()
    {
        var parsed = SmtpGreeting.Parse(Encoding.ASCII.GetBytes("220-first.example.com ESMTP\r\n220-second.example.com\r\n220 third.example.com\r\n"));
        Assert.Equal("first.example.com", parsed.Host);
        Assert.Equal(3, parsed.Reply.Lines.Count);
    }

    [Theory]
    [InlineData("554 5.7.1 mx.example.com Client host rejected\r\n", "mx.example.com", BannerHostKind.Fqdn)]
    [InlineData("554 5.7.1 Service unavailable; client host blocked\r\n", null, BannerHostKind.Missing)]
    [InlineData("421 4.3.2 Service shutting down\r\n", null, BannerHostKind.Missing)]
    [InlineData("421 mx.example.org Service not available, closing channel\r\n", "mx.example.org", BannerHostKind.Fqdn)]
    [InlineData("220\r\n", null, BannerHostKind.Missing)]
    [InlineData("220 \r\n", null, BannerHostKind.Missing)]
    [InlineData("220 MAIL.Example.COM. ESMTP\r\n", "mail.example.com", BannerHostKind.Fqdn)]
    [InlineData("220 [IPv6:2001:db8::25] ESMTP\r\n", "[ipv6:2001:db8::25]", BannerHostKind.AddressLiteral)]
    [InlineData("220 *******************************0*2******0***********2*****0*******0000\r\n", null, BannerHostKind.Masked)]
    [InlineData("220 mail_server.example.com ESMTP\r\n", "mail_server.example.com", BannerHostKind.NotFqdn)]
    [InlineData("220 localhost ESMTP\r\n", "localhost", BannerHostKind.NotFqdn)]
    [InlineData("220 mail.example.com, ESMTP\r\n", "mail.example.com", BannerHostKind.Fqdn)]
    public void Host_shapes(string greeting, string? host, BannerHostKind kind)
    {
        var parsed = SmtpGreeting.Parse(Encoding.ASCII.GetBytes(greeting));
        Assert.Equal(kind, parsed.HostKind);
        Assert.Equal(host, parsed.Host);
    }

    [Fact]
    public void A_token_with_control_characters_is_never_taken_for_a_host()
    {
        var parsed = SmtpGreeting.Parse(Encoding.ASCII.GetBytes("220 evil\u001b[31m.example.com ESMTP\r\n"));
        Assert.Equal(BannerHostKind.Missing, parsed.HostKind);
        Assert.Null(parsed.Host);
        Assert.Contains('\u001b', parsed.Reply.Lines[0]);
    }

    [Fact]
    public void No_bytes_is_a_missing_host_without_a_code()
    {
        var parsed = SmtpGreeting.Parse(null);
        Assert.Null(parsed.Code);
        Assert.Equal(BannerHostKind.Missing, parsed.HostKind);
        Assert.Equal(SmtpReplyProblem.Incomplete, parsed.Reply.Problem);
    }
}
