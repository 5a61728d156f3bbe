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

public class SmtpReplyParserTests
{
    private static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);

    [Fact]
    public void A_reply_that_has_not_ended_is_incomplete_until_its_final_line()
    {
        var parser = new SmtpReplyParser();
        parser.Feed(Ascii("220-mail.example.com ESMTP\r\n"), 0, 28);
        Assert.False(parser.IsDone);
        Assert.Equal(SmtpReplyProblem.Incomplete, parser.ToReply().Problem);
        var rest = Ascii("220 mail.example.com ESMTP\r\n");
        parser.Feed(rest, 0, rest.Length);
        Assert.True(parser.IsDone);
        Assert.Equal(2, parser.ToReply().Lines.Count);
    }

    [Fact]
    public void Bytes_after_the_final_line_are_left_for_the_next_reply()
    {
        var bytes = Ascii("220 a.example\r\n250 next\r\n");
        var parser = new SmtpReplyParser();
        Assert.Equal(15, parser.Feed(bytes, 0, bytes.Length));
        Assert.Single(parser.ToReply().Lines);
    }

    [Fact]
    public void A_huge_line_without_a_line_end_stops_at_the_line_limit()
    {
        var huge = new byte[1024 * 1024];
        Array.Fill(huge, (byte)'x');
        "220 "u8.ToArray().CopyTo(huge, 0);
        var parser = new SmtpReplyParser();
        var used = parser.Feed(huge, 0, huge.Length);
        var reply = parser.ToReply();
        Assert.Equal(SmtpReplyProblem.LineTooLong, reply.Problem);
        Assert.True(used <= SmtpReplyLimits.Default.MaxLineLength + 2, $"consumed {used}");
        Assert.True(reply.Raw.Length <= SmtpReplyLimits.Default.MaxLineLength + 2);
        Assert.NotNull(reply.Trailing);
        Assert.True(reply.Trailing!.Length <= SmtpReplyLimits.Default.MaxLineLength);
    }

    [Fact]
    public void A_line_just_over_the_limit_with_a_line_end_is_too_long()
    {
        var limits = new SmtpReplyLimits { MaxLineLength = 10 };
        Assert.Equal(SmtpReplyProblem.LineTooLong, SmtpReplyParser.Parse(Ascii("220 1234567\r\n"), limits).Problem);
        Assert.Equal(SmtpReplyProblem.None, SmtpReplyParser.Parse(Ascii("220 123456\r\n"), limits).Problem);
    }

    [Fact]
    public void Too_many_continuation_lines_stop_at_the_line_count_limit()
    {
        var many = new StringBuilder();
        for (var i = 0; i < 10_000; i++)
        {
            many.Append("220-more\r\n");
        }

        var reply = SmtpReplyParser.Parse(Ascii(many.ToString()));
        Assert.Equal(SmtpReplyProblem.TooManyLines, reply.Problem);
        Assert.Equal(SmtpReplyLimits.Default.MaxLines, reply.Lines.Count);
    }

    [Fact]
    public void The_total_size_is_bounded_even_with_short_lines()
    {
        var limits = new SmtpReplyLimits { MaxLines = 100_000, MaxTotalBytes = 1000 };
        var many = string.Concat(Enumerable.Repeat("220-more text here\r\n", 1000));
        var reply = SmtpReplyParser.Parse(Ascii(many), limits);
        Assert.Equal(SmtpReplyProblem.TooLarge, reply.Problem);
        Assert.True(reply.Raw.Length <= 1000);
    }

    [Theory]
    [InlineData("220-a.example\r\n250 b\r\n", SmtpReplyProblem.MixedCodes)]
    [InlineData("hello\r\n", SmtpReplyProblem.Malformed)]
    [InlineData("22 short\r\n", SmtpReplyProblem.Malformed)]
    [InlineData("220_x\r\n", SmtpReplyProblem.Malformed)]
    [InlineData("620 bad class\r\n", SmtpReplyProblem.Malformed)]
    [InlineData("220 ok\r\n", SmtpReplyProblem.None)]
    [InlineData("220\r\n", SmtpReplyProblem.None)]
    [InlineData("220 ok", SmtpReplyProblem.Incomplete)]
    [InlineData("", SmtpReplyProblem.Incomplete)]
    public void Shapes(string text, SmtpReplyProblem problem) =>
        Assert.Equal(problem, SmtpReplyParser.Parse(Ascii(text)).Problem);

    [Fact]
    public void Random_bytes_never_throw_and_stay_within_the_limits()
    {
        var random = new Random(5321);
        var limits = new SmtpReplyLimits { MaxLineLength = 64, MaxLines = 8, MaxTotalBytes = 512 };
        var alphabet = Ascii("2205- \r\n\x1bx.");
        for (var run = 0; run < 3000; run++)
        {
            var bytes = new byte[random.Next(0, 2048)];
            if (run % 2 == 0)
            {
                random.NextBytes(bytes);
            }
            else
            {
                for (var i = 0; i < bytes.Length; i++)
                {
                    bytes[i] = alphabet[random.Next(alphabet.Length)];
                }
            }

            var reply = SmtpReplyParser.Parse(bytes, limits);
            Assert.True(reply.Raw.Length <= 512);
            Assert.True(reply.Lines.Count <= 8);
            Assert.All(reply.Lines, l => Assert.True(l.Length <= 64 * 3));
            var greeting = SmtpGreeting.FromReply(reply);
            _ = SmtpEhloReply.FromReply(reply);
            _ = ServerSoftwareDetector.Detect(reply.Lines);
            Assert.True(greeting.Host is null || !greeting.Host.Any(char.IsControl));
        }
    }

    [Fact]
    public void Invalid_utf8_is_replaced_not_thrown()
    {
        var reply = SmtpReplyParser.Parse(new byte[] { (byte)'2', (byte)'2', (byte)'0', (byte)' ', 0xC3, 0x28, 0xFF, 13, 10 });
        Assert.True(reply.IsComplete);
        Assert.Contains('\uFFFD', reply.Lines[0]);
    }

    [Fact]
    public void Feed_with_bad_arguments_consumes_nothing()
    {
        var parser = new SmtpReplyParser();
        Assert.Equal(0, parser.Feed(null!, 0, 5));
        Assert.Equal(0, parser.Feed(new byte[3], 2, 5));
        Assert.Equal(0, parser.Feed(new byte[3], -1, 1));
    }
}
