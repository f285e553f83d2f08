using System.Globalization;
using System.Text.RegularExpressions;

namespace Firecrawl.Client.Tests;

/// <summary>
/// How a value someone gave is quoted in a message: whole up to its bound, cut at a character (never inside a surrogate
/// pair) beyond it, and with every character that could break a log line or a terminal shown as <c>?</c>.
/// </summary>
public sealed class InputTextTests
{
    [Fact]
    public void Quote_NoValue_SaysSo()
    {
        Assert.Equal("(none)", InputText.Quote(null));
    }

    [Theory]
    [InlineData("", "''")]
    [InlineData("abc", "'abc'")]
    [InlineData("a b\u00A0c", "'a b\u00A0c'")]
    public void Quote_AShortPrintableValue_IsQuotedWhole(string value, string expected)
    {
        Assert.Equal(expected, InputText.Quote(value));
    }

    [Fact]
    public void Quote_AValueOfExactlyTheBound_IsQuotedWhole_OneMoreIsCut()
    {
        string atBound = new('x', InputText.MaxQuoted);

        Assert.Equal("'" + atBound + "'", InputText.Quote(atBound));
        Assert.Equal("'" + atBound + "…' (65 characters)", InputText.Quote(atBound + "y"));
    }

    [Fact]
    public void Quote_ALongValue_NamesItsLengthWithGroupedDigits_WhateverTheCulture()
    {
        CultureInfo before = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");

            Assert.Equal("'abc…' (1,234 characters)", InputText.Quote("abc" + new string('d', 1231), max: 3));
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [Fact]
    public void Quote_ACutThatWouldSplitASurrogatePair_EndsBeforeThePair()
    {
        // "ab" then U+1F600 as two UTF-16 units: a cut after three units would keep half of it.
        Assert.Equal("'ab…' (6 characters)", InputText.Quote("ab\U0001F600cd", max: 3));
    }

    [Fact]
    public void Quote_ACutAfterAWholePair_KeepsThePair()
    {
        Assert.Equal("'a\U0001F600…' (5 characters)", InputText.Quote("a\U0001F600cd", max: 3));
    }

    [Theory]
    [InlineData("a\u0000b", "'a?b'")]
    [InlineData("a\u001Fb", "'a?b'")]
    [InlineData("a\nb\rc\td", "'a?b?c?d'")]
    [InlineData("a\u007Fb", "'a?b'")]
    [InlineData("a\u0085b", "'a?b'")]
    [InlineData("a\u009Fb", "'a?b'")]
    [InlineData("\u001B[2Jclear", "'?[2Jclear'")]
    public void Quote_ControlCharacters_AreShownAsQuestionMarks(string value, string expected)
    {
        Assert.Equal(expected, InputText.Quote(value));
    }

    [Theory]
    [InlineData("a\\uD800b", "'a?b'")]
    [InlineData("a\\uDBFFb", "'a?b'")]
    [InlineData("a\\uDC00b", "'a?b'")]
    [InlineData("a\\uDFFFb", "'a?b'")]
    [InlineData("a\\uD800", "'a?'")]
    [InlineData("\\uDC00a", "'?a'")]
    [InlineData("\\uDC00\\uD800", "'??'")]
    [InlineData("\\uD800\\uD800\\uDC00", "'?\\uD800\\uDC00'")]
    [InlineData("\\uD800\\uDC00\\uDC00", "'\\uD800\\uDC00?'")]
    public void Quote_LoneSurrogates_AreShownAsQuestionMarks_PairsAreKept(string escapedValue, string escapedExpected)
    {
        // Escaped in the data: a theory's arguments pass through UTF-8, which turns a lone surrogate into U+FFFD.
        Assert.Equal(Regex.Unescape(escapedExpected), InputText.Quote(Regex.Unescape(escapedValue)));
    }

    [Fact]
    public void Quote_APairBesideAControlCharacter_IsKeptWhileTheControlIsReplaced()
    {
        Assert.Equal("'?\U0001F600'", InputText.Quote("\u0001\U0001F600"));
    }
}
