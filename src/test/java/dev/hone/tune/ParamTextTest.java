package dev.hone.tune;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParamTextTest {

    @Test
    void exactIsTheShortestTextThatReadsBackAsTheSameNumber() {
        assertThat(ParamText.exact(0.41714626873848937)).isEqualTo("0.41714626873848937");
        assertThat(ParamText.exact(3.2360388292088815e-4)).isEqualTo("3.2360388292088815e-4");
        assertThat(ParamText.exact(1e-5)).isEqualTo("1e-5");
        assertThat(ParamText.exact(0.1)).isEqualTo("0.1");
        assertThat(ParamText.exact(37)).isEqualTo("37");
        assertThat(ParamText.exact("rbf")).isEqualTo("rbf");
        for (double v : new double[] {0.41714626873848937, 3.2360388292088815e-4, 1e-5, 123456.789, 1e300}) {
            assertThat(Double.parseDouble(ParamText.exact(v))).isEqualTo(v);
        }
    }

    @Test
    void briefKeepsFourSignificantDigitsAndWritesSmallOnesWithAnExponent() {
        assertThat(ParamText.brief(3.2360388292088815e-4, 4)).isEqualTo("3.236e-4");
        assertThat(ParamText.brief(0.02565972198603249, 4)).isEqualTo("0.02566");
        assertThat(ParamText.brief(0.12601351367559982, 4)).isEqualTo("0.126");
        assertThat(ParamText.brief(1000.0, 4)).isEqualTo("1000");
        assertThat(ParamText.brief(1234567.0, 4)).isEqualTo("1.235e6");
        assertThat(ParamText.brief(0.0, 4)).isEqualTo("0");
        assertThat(ParamText.brief(16, 4)).isEqualTo("16");
    }

    @Test
    void aSetIsNameEqualsValueNeverMapToString() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("C", 0.41714626873848937);
        params.put("gamma", 3.2360388292088815e-4);

        assertThat(ParamText.exact(params)).isEqualTo("C=0.41714626873848937, gamma=3.2360388292088815e-4");
        assertThat(ParamText.brief(params, 4)).isEqualTo("C=0.4171 gamma=3.236e-4");
        assertThat(ParamText.exact(Map.of())).isEqualTo("none");
    }

    @Test
    void tablesTakeTheDigitsThatTellTrialsApart() {
        assertThat(ParamText.digitsToTellApart(List.of(Map.of("lr", 0.1234), Map.of("lr", 0.5)))).isEqualTo(4);
        assertThat(ParamText.digitsToTellApart(List.of(Map.of("lr", 0.123412), Map.of("lr", 0.123449))))
                .isEqualTo(5);
        assertThat(ParamText.digitsToTellApart(List.of(Map.of("lr", 0.1234561), Map.of("lr", 0.1234564))))
                .isEqualTo(6);
    }
}
