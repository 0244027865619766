package dev.storefront.load.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

class SvgPlotTest {

  private static final String RED = "#d62728";

  /** A step at {@code rate} with that p99; whether it held follows from the 300 ms SLO. */
  private static CapacitySearch.StepResult step(double rate, long p99) {
    RunResult result = Runs.catalogRun(rate, 1000, 0, p99, Map.of());
    return new CapacitySearch.StepResult(
        rate, result, SloCheck.evaluate(result, Map.of("catalog", 300L), 1));
  }

  private static Document parse(String svg)
      throws ParserConfigurationException, SAXException, IOException {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory.newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
  }

  private static List<Element> elements(Document document, String name) {
    NodeList nodes = document.getElementsByTagNameNS("http://www.w3.org/2000/svg", name);
    List<Element> elements = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      elements.add((Element) nodes.item(i));
    }
    return elements;
  }

  @Test
  void plotsEverySeriesAndMarksTheStepThatBrokeInRed() throws Exception {
    List<CapacitySearch.StepResult> steps = List.of(step(10, 100), step(20, 200), step(40, 400));
    assertThat(steps)
        .extracting(CapacitySearch.StepResult::held)
        .containsExactly(true, true, false);

    Document svg = parse(SvgPlot.capacity("Storefront capacity, browse (127.0.0.1)", steps));

    Element root = svg.getDocumentElement();
    assertThat(root.getLocalName()).isEqualTo("svg");
    assertThat(root.getNamespaceURI()).isEqualTo("http://www.w3.org/2000/svg");
    assertThat(root.getAttribute("width")).isEqualTo("720");

    List<Element> polylines = elements(svg, "polyline");
    assertThat(polylines).hasSize(3);
    assertThat(polylines)
        .extracting(line -> line.getAttribute("stroke"))
        .containsExactly("#1f77b4", "#2ca02c", "#ff7f0e");
    for (Element line : polylines) {
      assertThat(line.getAttribute("points").split(" ")).as("one point per step").hasSize(3);
    }

    List<Element> circles = elements(svg, "circle");
    assertThat(circles).hasSize(9);
    List<Element> red = circles.stream().filter(c -> RED.equals(c.getAttribute("fill"))).toList();
    assertThat(red).as("the broken step on each of the 3 series").hasSize(3);
    // The broken step is the one furthest right.
    double brokenX = Double.parseDouble(red.get(0).getAttribute("cx"));
    for (Element circle : circles) {
      assertThat(Double.parseDouble(circle.getAttribute("cx"))).isLessThanOrEqualTo(brokenX);
    }
  }

  @Test
  void noRedWhenEveryStepHeld() throws Exception {
    List<CapacitySearch.StepResult> steps = List.of(step(10, 100), step(20, 200));

    Document svg = parse(SvgPlot.capacity("held", steps));

    assertThat(elements(svg, "circle"))
        .hasSize(6)
        .noneMatch(circle -> RED.equals(circle.getAttribute("fill")));
  }

  @Test
  void aSingleStepAndAnOddTitleStillMakeWellFormedXml() throws Exception {
    String title = "Storefront capacity, shop (a<b & c>d)";

    Document svg = parse(SvgPlot.capacity(title, List.of(step(5, 0))));

    List<Element> texts = elements(svg, "text");
    assertThat(texts).extracting(Element::getTextContent).contains(title);
    assertThat(elements(svg, "polyline")).hasSize(3);
    assertThat(elements(svg, "circle"))
        .extracting(c -> c.getAttribute("cy"))
        .allSatisfy(cy -> assertThat(Double.parseDouble(cy)).isFinite());
  }

  @Test
  void niceCeiling() {
    assertThat(SvgPlot.niceCeiling(0)).isEqualTo(1);
    assertThat(SvgPlot.niceCeiling(-5)).isEqualTo(1);
    assertThat(SvgPlot.niceCeiling(7)).isEqualTo(10);
    assertThat(SvgPlot.niceCeiling(130)).isEqualTo(200);
    assertThat(SvgPlot.niceCeiling(2000)).isEqualTo(2000);
    assertThat(SvgPlot.niceCeiling(1000)).isEqualTo(1000);
    assertThat(SvgPlot.niceCeiling(201)).isEqualTo(500);
    assertThat(SvgPlot.niceCeiling(501)).isEqualTo(1000);
    assertThat(SvgPlot.niceCeiling(0.3))
        .isCloseTo(0.5, org.assertj.core.api.Assertions.within(1e-12));
  }
}
