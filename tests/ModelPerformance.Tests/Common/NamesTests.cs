using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.Tests.Common;

public sealed class NamesTests
{
    [Theory]
    [InlineData(Metric.RSquared, "R_SQUARED")]
    [InlineData(Metric.F1, "F1")]
    [InlineData(Metric.Mape, "MAPE")]
    public void Metric_names_are_spelled_as_in_the_contract(Metric metric, string expected) =>
        Assert.Equal(expected, Names.Of(metric));

    [Theory]
    [InlineData(PromotionPolicy.AutoIfBetter, "AUTO_IF_BETTER")]
    [InlineData(PromotionPolicy.AbTest, "AB_TEST")]
    public void Multi_word_names_get_underscores_and_parse_back(PromotionPolicy policy, string expected)
    {
        Assert.Equal(expected, Names.Of(policy));
        Assert.Equal(policy, Names.Parse<PromotionPolicy>(expected));
    }
}
