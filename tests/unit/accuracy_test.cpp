// accuracy_test.cpp: the numbers of validate's accuracy report
// (compiler/driver/accuracy.h) on vectors small enough to work out by hand.
#include <catch2/catch.hpp>

#include <cmath>

#include "driver/accuracy.h"

using namespace tmlc;

TEST_CASE("Accuracy of a two-element output, worked out by hand", "[driver][accuracy]") {
  // err = {0, 1}: max 1 = 2 LSB of 0.5; cosine 3 / (sqrt 5 sqrt 2); SNR 10 log10(2 / 1).
  // Arg-max: got 1, ref 0 (the first of two equal maxima).
  const float got[] = {1, 2}, ref[] = {1, 1};
  AccuracyAccumulator acc(0.5, 2);
  acc.add(got, ref, 2);
  const OutputAccuracy a = acc.result();
  CHECK(a.elements == 2);
  CHECK(a.maxAbs == Approx(1.0));
  CHECK(a.maxLsb == Approx(2.0));
  CHECK(a.cosine == Approx(3 / (std::sqrt(5.0) * std::sqrt(2.0))));
  CHECK(a.snrDb == Approx(10 * std::log10(2.0)));
  CHECK(a.top1Agree == 0);
  CHECK(a.top1Rows == 1);
}

TEST_CASE("Accuracy accumulates over data sets and rows", "[driver][accuracy]") {
  AccuracyAccumulator acc(0, 3);
  const float g1[] = {0, 5, 1, 9, 0, 0}, r1[] = {0, 4, 1, 8, 1, 0};  // two rows: agree, agree
  const float g2[] = {1, 0, 0}, r2[] = {0, 0, 1};                    // disagree
  acc.add(g1, r1, 6);
  acc.add(g2, r2, 3);
  const OutputAccuracy a = acc.result();
  CHECK(a.elements == 9);
  CHECK(a.top1Agree == 2);
  CHECK(a.top1Rows == 3);
  CHECK(a.maxLsb == 0);  // no scale known
  // sum ref^2 = 16+1+64+1+1 = 83; sum err^2 = 1+1+1+1+1 = 5
  CHECK(a.snrDb == Approx(10 * std::log10(83.0 / 5.0)));
  CHECK(a.maxAbs == Approx(1.0));
}

TEST_CASE("Accuracy of equal and of zero outputs", "[driver][accuracy]") {
  const float x[] = {0.25f, -1, 3}, zero[] = {0, 0, 0};
  AccuracyAccumulator same(0.25, 0);
  same.add(x, x, 3);
  CHECK(same.result().cosine == Approx(1.0));
  CHECK(std::isinf(same.result().snrDb));
  CHECK(same.result().snrDb > 0);
  CHECK(same.result().top1Rows == 0);
  AccuracyAccumulator dead(0.25, 0);
  dead.add(zero, x, 3);
  CHECK(dead.result().cosine == 0);
  CHECK(dead.result().snrDb == Approx(0.0));
  AccuracyAccumulator both(0.25, 0);
  both.add(zero, zero, 3);
  CHECK(both.result().cosine == 1);
}

TEST_CASE("Classifier-shaped outputs", "[driver][accuracy]") {
  CHECK(classifierClasses({1, 10}) == 10);
  CHECK(classifierClasses({4, 12}) == 12);
  CHECK(classifierClasses({1, 1, 1, 2}) == 2);
  CHECK(classifierClasses({1, 3, 16, 16}) == 0);
  CHECK(classifierClasses({10}) == 0);
  CHECK(classifierClasses({4, 1}) == 0);
}
