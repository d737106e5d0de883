package io.chimera.perf.benchmarks.review;

import io.chimera.perf.benchmarks.review.Checklist.Item;
import io.chimera.perf.benchmarks.review.Source.Measurement;
import io.chimera.perf.core.Perf008;
import io.chimera.perf.core.Perf008.ReviewSection;
import io.chimera.perf.core.Perf008.Status;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The PERF-008 weekly review checklist, evaluated: every item of the guide's seven sections with
 * each check's value, thresholds and status.
 */
final class WeeklyReview {

  /** One check's result. */
  record Result(Check check, Measurement measurement, Status status) {
    String valueText() {
      return Perf008.format(check.unit(), measurement.value());
    }

    String thresholdText() {
      if (check.basis().startsWith("none;")) {
        return check.basis();
      }
      boolean higher = check.direction() == Perf008.Direction.HIGHER_IS_BETTER;
      String target = (higher ? ">" : "<") + Perf008.format(check.unit(), check.target());
      if (Double.isInfinite(check.alert())) {
        return target;
      }
      return target
          + ", alert "
          + (higher ? "<" : ">")
          + Perf008.format(check.unit(), check.alert());
    }
  }

  /** One checklist item: the worst status of its checks. */
  record ItemResult(Item item, List<Result> results) {
    Status status() {
      return Report.worst(results.stream().map(Result::status).toList());
    }
  }

  /** The whole review. */
  record Report(String source, List<ItemResult> items) {
    Status worst() {
      return worst(items.stream().map(ItemResult::status).toList());
    }

    static Status worst(List<Status> statuses) {
      Status worst = Status.NO_DATA;
      for (Status s : statuses) {
        if (s == Status.ALERT
            || (s == Status.WARN && worst != Status.ALERT)
            || (s == Status.OK && worst == Status.NO_DATA)) {
          worst = s;
        }
      }
      return worst;
    }

    List<ItemResult> section(ReviewSection section) {
      return items.stream().filter(i -> i.item().section() == section).toList();
    }
  }

  private WeeklyReview() {}

  static Report run(Source source) throws IOException, InterruptedException {
    List<ItemResult> items = new ArrayList<>();
    for (Item item : Checklist.items()) {
      List<Result> results = new ArrayList<>();
      for (Check check : item.checks()) {
        Measurement m = source.measure(check);
        results.add(new Result(check, m, check.status(m.value())));
      }
      items.add(new ItemResult(item, results));
    }
    return new Report(source.describe(), items);
  }
}
