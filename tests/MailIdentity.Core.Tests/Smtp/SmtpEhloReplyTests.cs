// Expected values are written inline as arrays: clearer in a test than named static fields.
#pragma warning disable CA1861

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using System.Text;
using MailIdentity.Smtp;
using Xunit;

namespace MailIdentity.Core.Tests.Smtp;

public class SmtpEhloReplyTests
{
    [Fact]
    public void Lists_host_extensions_and_keywords()
    {
        var ehlo = SmtpEhloReply.Parse(Encoding.ASCII.GetBytes(
            "250-MAIL.Example.COM Hello [192.0.2.1]\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-starttls\r\n250-AUTH PLAIN LOGIN\r\n250-AUTH=PLAIN\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"));
        Assert.Equal(250, ehlo.Code);
        Assert.Equal("mail.example.com", ehlo.Host);
        Assert.Equal(new[] { "PIPELINING", "SIZE 10240000", "starttls", "AUTH PLAIN LOGIN", "AUTH=PLAIN", "8BITMIME", "SMTPUTF8" }, ehlo.Extensions);
        Assert.Equal(new[] { "PIPELINING", "SIZE", "STARTTLS", "AUTH", "AUTH", "8BITMIME", "SMTPUTF8" }, ehlo.Keywords);
        Assert.True(ehlo.OffersStartTls);
        Assert.True(ehlo.Has("smtputf8"));
    }

    [Fact]
    public void A_refusal_lists_nothing()
    {
        var ehlo = SmtpEhloReply.Parse(Encoding.ASCII.GetBytes("500-5.5.1 Command unrecognized\r\n500 STARTTLS\r\n"));
        Assert.Equal(500, ehlo.Code);
        Assert.Null(ehlo.Host);
        Assert.Empty(ehlo.Extensions);
        Assert.False(ehlo.OffersStartTls);
    }

    [Fact]
    public void Escape_sequences_in_extensions_are_escaped()
    {
        var ehlo = SmtpEhloReply.Parse(Encoding.ASCII.GetBytes("250-a.example\r\n250 X-\u001b[2JEVIL\r\n"));
        Assert.Equal("X-\\e[2JEVIL", ehlo.Extensions[0]);
        Assert.DoesNotContain(ehlo.Keywords, k => k.Contains('\u001b', StringComparison.Ordinal));
    }
}
