package dev.storefront.load.run;

import java.util.List;
import java.util.Locale;

/**
 * A capacity search as a picture: throughput (top) and p50/p99 latency (bottom) against the arrival
 * rate, steps that broke an SLO in red. Plain SVG, so the README shows it as it is.
 */
public final class SvgPlot {

  private static final int WIDTH = 720;
  private static final int PANEL = 220;
  private static final int LEFT = 70;
  private static final int RIGHT = 20;
  private static final int TOP = 40;
  private static final int GAP = 60;

  private SvgPlot() {}

  public static String capacity(String title, List<CapacitySearch.StepResult> steps) {
    double maxRate = steps.stream().mapToDouble(CapacitySearch.StepResult::rate).max().orElse(1);
    double maxThroughput = steps.stream().mapToDouble(s -> s.result().throughput()).max().orElse(1);
    double maxLatency =
        steps.stream().mapToDouble(s -> s.result().report().all().p99()).max().orElse(1);
    StringBuilder svg = new StringBuilder();
    int height = TOP + PANEL * 2 + GAP + 50;
    svg.append(
            String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                    + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n",
                WIDTH,
                height,
                WIDTH,
                height))
        .append(
            String.format(
                Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, height))
        .append(
            String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"22\" font-size=\"14\" font-weight=\"bold\">%s</text>%n",
                LEFT,
                escape(title)));
    Axes top = new Axes(TOP, niceCeiling(maxRate), niceCeiling(maxThroughput), "requests/s");
    Axes bottom =
        new Axes(TOP + PANEL + GAP, niceCeiling(maxRate), niceCeiling(maxLatency), "latency (ms)");
    top.draw(svg);
    bottom.draw(svg);
    line(svg, top, steps, s -> s.result().throughput(), "#1f77b4", "throughput");
    line(svg, bottom, steps, s -> (double) s.result().report().all().p50(), "#2ca02c", "p50");
    line(svg, bottom, steps, s -> (double) s.result().report().all().p99(), "#ff7f0e", "p99");
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">arrival rate (visitors/s);"
                + " red: a step that broke an SLO</text>%n",
            LEFT + (WIDTH - LEFT - RIGHT) / 2,
            height - 12));
    return svg.append("</svg>\n").toString();
  }

  private interface Value {
    double of(CapacitySearch.StepResult step);
  }

  private static void line(
      StringBuilder svg,
      Axes axes,
      List<CapacitySearch.StepResult> steps,
      Value value,
      String colour,
      String label) {
    StringBuilder points = new StringBuilder();
    for (CapacitySearch.StepResult step : steps) {
      points.append(
          String.format(Locale.ROOT, "%.1f,%.1f ", axes.x(step.rate()), axes.y(value.of(step))));
    }
    svg.append(
        String.format(
            Locale.ROOT,
            "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>%n",
            colour,
            points.toString().trim()));
    for (CapacitySearch.StepResult step : steps) {
      svg.append(
          String.format(
              Locale.ROOT,
              "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"/>%n",
              axes.x(step.rate()),
              axes.y(value.of(step)),
              step.held() ? colour : "#d62728"));
    }
    CapacitySearch.StepResult last = steps.get(steps.size() - 1);
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%.1f\" y=\"%.1f\" fill=\"%s\">%s</text>%n",
            Math.min(axes.x(last.rate()) + 6, WIDTH - RIGHT - 60),
            axes.y(value.of(last)) - 6,
            colour,
            label));
  }

  /** One panel: x from 0 to {@code maxX}, y from 0 to {@code maxY}. */
  private record Axes(int top, double maxX, double maxY, String yLabel) {
    double x(double rate) {
      return LEFT + (WIDTH - LEFT - RIGHT) * rate / maxX;
    }

    double y(double value) {
      return top + PANEL - PANEL * value / maxY;
    }

    void draw(StringBuilder svg) {
      int right = WIDTH - RIGHT;
      svg.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n",
              LEFT,
              top,
              right - LEFT,
              PANEL));
      for (int i = 0; i <= 4; i++) {
        double value = maxY * i / 4;
        svg.append(
            String.format(
                Locale.ROOT,
                "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                LEFT,
                right,
                y(value),
                y(value),
                LEFT - 6,
                y(value) + 4,
                Reports.rate(value)));
        double rate = maxX * i / 4;
        svg.append(
            String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                x(rate),
                top + PANEL + 16,
                Reports.rate(rate)));
      }
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"16\" y=\"%d\" transform=\"rotate(-90 16 %d)\" text-anchor=\"middle\">%s"
                  + "</text>%n",
              top + PANEL / 2,
              top + PANEL / 2,
              yLabel));
    }
  }

  /** 1, 2 or 5 times a power of ten, at or above {@code value}. */
  static double niceCeiling(double value) {
    if (value <= 0) {
      return 1;
    }
    double power = Math.pow(10, Math.floor(Math.log10(value)));
    for (double step : new double[] {1, 2, 5, 10}) {
      if (step * power >= value) {
        return step * power;
      }
    }
    return 10 * power;
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
