#!/usr/bin/env python3
"""Hand-written labels for train4/B, kept as Python data. Writes claims.jsonl and questions.jsonl."""
import json, os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

S1 = "sentencing-pettigrove-brackwell"
S2 = "earnings-thistlecombe-bank"
S3 = "flood-brannoch-river"
S4 = "tuition-ambersley-university"

# (source, question, paragraphs, style)
QUESTIONS = [
    # --- S1: fraud sentencing ---
    (S1, "How long a prison term did the Brackwell Ledger Partners founder receive?", [1, 11], "full"),
    (S1, "What rate of return did the firm tell clients its fund would pay?", [6], "full"),
    (S1, "How was the scheme first discovered?", [17], "full"),
    (S1, "how many investors were taken in by the scheme", [1], "lowercase"),
    (S1, "when does pettigrove have to turn himself in", [12], "lowercase"),
    (S1, "Pettigrove restitution amount", [2], "fragment"),
    (S1, "Brackwell CFO guilty plea", [16], "fragment"),
    (S1, "victims fund money recovered so far", [14], "fragment"),
    (S1, "Will Pettigrove challenge his conviction on appeal?", [11], "yesno"),
    (S1, "Was Pettigrove found guilty of securities fraud?", [5], "yesno"),
    (S1, "Is Pettigrove allowed to stay free until he has to report to prison?", [12], "yesno"),
    (S1, "How many victims spoke at the sentencing hearign?", [8], "typo"),
    (S1, "What did Pettigrove spend investor mony on for himself?", [6, 7], "typo"),
    (S1, "Can we confirm the defendant's age?", [2], "reporter"),
    (S1, "Is it accurate that the trial ran for more than two weeks?", [5], "reporter"),
    (S1, "Who described the scheme as deliberate deception rather than bad luck in the markets?", [4], "speaker"),
    (S1, "How much did Bernadette Quillfoyle say she lost?", [9], "speaker"),
    (S1, "What did the receiver say about when investors would get money back?", [15], "speaker"),
    (S1, "Which prison will Pettigrove be sent to?", [], "unanswerable"),
    (S1, "How much is the Sellow Reach lakefront house worth?", [], "unanswerable"),
    (S1, "What sentence are prosecutors seeking for Ezra Talliver?", [], "unanswerable"),
    (S1, "What was the name of the bookkeeper who spotted the missing loan?", [], "unanswerable"),
    (S1, "Who bought Pettigrove's wine collection at auction?", [], "unanswerable"),
    (S1, "By what date does the defence have to file its appeal?", [], "unanswerable"),
    (S1, "How much did Pettigrove pay his defence lawyers?", [], "unanswerable"),
    (S1, "How many of the 312 investors were retired teachers?", [], "unanswerable"),
    (S1, "Will Pettigrove be eligible for early release or parole?", [], "unanswerable"),
    (S1, "What year did Pettigrove found Brackwell Ledger Partners?", [], "unanswerable"),
    (S1, "Who won the regional chess championship this spring?", [], "unanswerable"),
    (S1, "How do I repot an orchid?", [], "unanswerable"),

    # --- S2: bank earnings and layoffs ---
    (S2, "How much did Thistlecombe earn in the first three months of the year?", [2], "full"),
    (S2, "How many positions is the bank cutting?", [1], "full"),
    (S2, "How much does the bank expect to save annually from the restructuring?", [10], "full"),
    (S2, "how many branches is thistlecombe closing", [7], "lowercase"),
    (S2, "what happened to the bank share price", [13], "lowercase"),
    (S2, "Thistlecombe loan loss provision first quarter", [4], "fragment"),
    (S2, "weeks of pay for laid-off staff", [9], "fragment"),
    (S2, "Thistlecombe deposits total", [11], "fragment"),
    (S2, "Did Thistlecombe beat analysts' profit forecasts?", [2], "yesno"),
    (S2, "Is the bank planning to cut its dividend?", [11, 12], "yesno"),
    (S2, "Is Thistlecombe looking to acquire other banks this year?", [16], "yesno"),
    (S2, "What was the bank's revenu for the quater?", [3], "typo"),
    (S2, "When is Thistlecombe's anual shareholder meeting?", [17], "typo"),
    (S2, "Can we confirm how much the bank has in office loans?", [16], "reporter"),
    (S2, "Is it accurate that the restructuring charges could exceed $30 million?", [8], "reporter"),
    (S2, "Which executive said it was better to be cautious early than surprised late?", [5], "speaker"),
    (S2, "What did the Wickenham mayor ask the bank to do?", [15], "speaker"),
    (S2, "What did the union leader say Wickenham workers had been promised in January?", [14], "speaker"),
    (S2, "Which 11 branches will Thistlecombe close?", [], "unanswerable"),
    (S2, "Where will the work done at the Wickenham call centre be moved?", [], "unanswerable"),
    (S2, "Did Thistlecombe agree to pay for retraining the Wickenham workers?", [], "unanswerable"),
    (S2, "How much was chief executive Rosalind Achterberg paid last year?", [], "unanswerable"),
    (S2, "How many analysts did Corvenna Metrics survey?", [], "unanswerable"),
    (S2, "Who are Thistlecombe's largest shareholders?", [], "unanswerable"),
    (S2, "How many members does the Allied Clerical Workers Guild have?", [], "unanswerable"),
    (S2, "What time does the May 14 shareholder meeting start?", [], "unanswerable"),
    (S2, "What was Thistlecombe's profit for the whole of 2025?", [], "unanswerable"),
    (S2, "What minimum capital ratio do regulators require of Thistlecombe?", [], "unanswerable"),
    (S2, "What is the best way to descale a kettle?", [], "unanswerable"),
    (S2, "When does the city marathon take place this year?", [], "unanswerable"),

    # --- S3: river flood, evacuations, dam release ---
    (S3, "How high did the water get at the Quenby Ford gauge?", [2], "full"),
    (S3, "Why did the dam operators decide to release water?", [1, 3, 4], "full"),
    (S3, "How long is the power expected to stay off?", [12], "full"),
    (S3, "how many people did rescuers save", [10], "lowercase"),
    (S3, "when will trains between quenby ford and marlstoke run again", [13], "lowercase"),
    (S3, "Marlstoke homes under evacuation order", [6], "fragment"),
    (S3, "Kettlehurst spillway gates opened", [3], "fragment"),
    (S3, "state of emergency reserve fund", [14], "fragment"),
    (S3, "Can I bring my dog to a shelter?", [8], "yesno"),
    (S3, "Has anyone died in the flooding?", [10], "yesno"),
    (S3, "Has the planned flood wall been built?", [18], "yesno"),
    (S3, "How much more rain is forcast for Friday?", [17], "typo"),
    (S3, "What is the capasity of the Civic Hall shelter?", [7], "typo"),
    (S3, "Can we confirm the river's record height?", [2], "reporter"),
    (S3, "Is it accurate that the dam's reservoir was nearly full?", [3], "reporter"),
    (S3, "Who cautioned drivers that fairly shallow moving water can carry away most cars?", [11], "speaker"),
    (S3, "What did the council leader tell people under evacuation orders?", [15], "speaker"),
    (S3, "What did Lucan Threlfall say about the warning he got?", [16], "speaker"),
    (S3, "Why has the Tannery district flood wall not been built yet?", [], "unanswerable"),
    (S3, "How much will the flood wall cost?", [], "unanswerable"),
    (S3, "When will evacuees be allowed to return home?", [], "unanswerable"),
    (S3, "How many people had registered at the Marlstoke Primary School shelter?", [], "unanswerable"),
    (S3, "How much rain fell during the three days of storms?", [], "unanswerable"),
    (S3, "How many homes have been flooded or damaged?", [], "unanswerable"),
    (S3, "What are the names of the family rescued near the Pell Road bridge?", [], "unanswerable"),
    (S3, "When was Kettlehurst Dam built?", [], "unanswerable"),
    (S3, "How many people refused to evacuate?", [], "unanswerable"),
    (S3, "How much water can the Kettlehurst reservoir hold?", [], "unanswerable"),
    (S3, "Who won the national spelling bee?", [], "unanswerable"),
    (S3, "What's a good recipe for lemon drizzle cake?", [], "unanswerable"),

    # --- S4: tuition increase and protest ---
    (S4, "How much will in-state undergraduates pay in tuition next year?", [2], "full"),
    (S4, "Why does the university say it needs the increase?", [4, 5], "full"),
    (S4, "How many students took over the administration building lobby?", [1, 8], "full"),
    (S4, "how many trustees voted in favour of the increase", [1], "lowercase"),
    (S4, "when is the student walkout planned", [17], "lowercase"),
    (S4, "Ambersley out-of-state tuition next year", [2], "fragment"),
    (S4, "petition signatures against tuition rise", [10], "fragment"),
    (S4, "dorm double room rate", [14], "fragment"),
    (S4, "Was anyone arrested during the protest?", [8], "yesno"),
    (S4, "Are mandatory fees going up as well?", [3], "yesno"),
    (S4, "Will graduate students also pay more?", [13], "yesno"),
    (S4, "How much revenu will the tution increase generate?", [6], "typo"),
    (S4, "How large is Ambersley's budget shortfal?", [4], "typo"),
    (S4, "Can we confirm this is the biggest tuition hike at Ambersley since 2011?", [3], "reporter"),
    (S4, "Is it accurate that low-income students will be shielded from the increase?", [6], "reporter"),
    (S4, "Which trustee argued the board should tap its reserves first?", [11], "speaker"),
    (S4, "What did the student union president say about the increase?", [9], "speaker"),
    (S4, "How did the state higher education commissioner react?", [15], "speaker"),
    (S4, "How much money is in Ambersley's reserve fund?", [], "unanswerable"),
    (S4, "What will the law school's tuition be next year?", [], "unanswerable"),
    (S4, "Which trustees voted in favour of the increase?", [], "unanswerable"),
    (S4, "On what date is the board's April meeting?", [], "unanswerable"),
    (S4, "Which two other universities would get money under Senator Pembridge-Foy's bill?", [], "unanswerable"),
    (S4, "How many students currently receive need-based grants at Ambersley?", [], "unanswerable"),
    (S4, "What time did the trustees take the vote?", [], "unanswerable"),
    (S4, "How big was Ambersley's 2011 tuition increase?", [], "unanswerable"),
    (S4, "How much will faculty salaries rise next year?", [], "unanswerable"),
    (S4, "Will the students who occupied Pemberton Hall face disciplinary action?", [], "unanswerable"),
    (S4, "What's the weather forecast for the weekend ski races?", [], "unanswerable"),
    (S4, "How do I renew a passport online?", [], "unanswerable"),
]

SUP, CON, NIS = "supported", "contradicted", "not_in_story"

# (source, claim, verdict, paragraphs, kind)
CLAIMS = [
    # --- S1 ---
    (S1, "Brackwell's former finance chief admitted to a conspiracy charge and appeared as a prosecution witness.", SUP, [16], "paraphrase"),
    (S1, "The scheme came apart after a grain cooperative's bookkeeper could not find a multimillion-dollar loan in the co-op's own books.", SUP, [17], "paraphrase"),
    (S1, "Retired teacher Bernadette Quillfoyle said she was out $186,000, all the savings she and her late husband had built up.", SUP, [9], "quote_attribution"),
    (S1, "Defence lawyer Tobias Wendlecroft called the 11-year term far out of line for a first-time, non-violent offender.", SUP, [11], "quote_attribution"),
    (S1, "The prison term imposed was four years shorter than the one prosecutors requested.", SUP, [1, 3, 11], "number"),
    (S1, "The sentencing hearing ran past 1:30 in the afternoon.", SUP, [8], "number"),
    (S1, "Pettigrove was ordered to repay $32.8 million in restitution.", CON, [2], "number_changed"),
    (S1, "A jury found Pettigrove guilty on seven counts of wire fraud.", CON, [5], "number_changed"),
    (S1, "Pettigrove's lawyer said the defence would also fight the guilty verdict itself on appeal.", CON, [11], "negation"),
    (S1, "Pettigrove was taken into custody as soon as the sentence was handed down.", CON, [12], "negation"),
    (S1, "Assistant prosecutor Marisol Oyelaran-Birch called the fraud a deliberate lie told to people who trusted the defendant with everything.", CON, [4], "wrong_speaker"),
    (S1, "The missing $2.5 million loan was flagged by a bookkeeper at the Office of Financial Oversight.", CON, [17], "wrong_entity"),
    (S1, "Pettigrove will serve his sentence at a minimum-security prison.", NIS, [], "on_topic_missing"),
    (S1, "Ezra Talliver is expected to receive a sentence of probation.", NIS, [], "on_topic_missing"),
    (S1, "Pettigrove's wife was also charged in connection with the scheme.", NIS, [], "on_topic_missing"),
    (S1, "A new ferry route between two coastal towns opens next month.", NIS, [], "off_topic"),

    # --- S2 ---
    (S2, "Thistlecombe plans to shutter 11 locations, largely rural ones where foot traffic has dropped sharply since 2019.", SUP, [7], "paraphrase"),
    (S2, "The bank's chief executive said it has no interest in taking over competitors this year.", SUP, [16], "paraphrase"),
    (S2, "Finance chief Desmond Okonkwo-Hale assured analysts the payout to shareholders is not at risk.", SUP, [11, 12], "quote_attribution"),
    (S2, "Fenella Marchbanks of the Allied Clerical Workers Guild said Wickenham staff had been promised job security just three months before the cuts.", SUP, [14], "quote_attribution"),
    (S2, "The bank's provision for bad loans was $37 million bigger than a year earlier.", SUP, [4], "number"),
    (S2, "About a third of the jobs being eliminated are at the Wickenham call centre.", SUP, [1, 6], "number"),
    (S2, "Thistlecombe's first-quarter net income fell to $43.7 million.", CON, [2], "number_changed"),
    (S2, "Thistlecombe's shares dropped 2.6% on Tuesday.", CON, [13], "number_changed"),
    (S2, "Thistlecombe's first-quarter profit rose from a year earlier.", CON, [1, 2], "negation"),
    (S2, "The Wickenham call centre will stay open with a smaller staff.", CON, [6], "negation"),
    (S2, "Rosalind Achterberg said the bank's capital position was well above what regulators require.", CON, [12], "wrong_speaker"),
    (S2, "Most of the increase in loan-loss reserves was tied to office buildings in Wickenham.", CON, [4], "wrong_entity"),
    (S2, "Thistlecombe agreed to fund retraining for the laid-off call-centre workers.", NIS, [], "on_topic_missing"),
    (S2, "The Allied Clerical Workers Guild is planning a strike over the job cuts.", NIS, [], "on_topic_missing"),
    (S2, "Rosalind Achterberg will take a pay cut this year.", NIS, [], "on_topic_missing"),
    (S2, "A museum in a mountain town has reopened after a two-year renovation.", NIS, [], "off_topic"),

    # --- S3 ---
    (S3, "Roughly 9,200 customers were left without electricity after the power company shut down substations in flooded neighbourhoods as a safety step.", SUP, [12], "paraphrase"),
    (S3, "Rail service between Quenby Ford and Marlstoke has been halted until Saturday at the earliest.", SUP, [13], "paraphrase"),
    (S3, "The water authority's chief engineer said keeping the water behind the dam would have endangered the dam itself.", SUP, [4], "quote_attribution"),
    (S3, "Weir Lane resident Lucan Threlfall said water reached his doorstep a little more than two hours after a text alert arrived.", SUP, [16], "quote_attribution"),
    (S3, "The dam's outflow more than quadrupled once the gates were opened.", SUP, [3], "number"),
    (S3, "At 4:15 p.m. the river stood 40 centimetres below its 1985 record.", SUP, [2], "number"),
    (S3, "Crews rescued 72 people from vehicles and rooftops.", CON, [10], "number_changed"),
    (S3, "Operators opened five of the dam's six spillway gates.", CON, [3], "number_changed"),
    (S3, "Pets are not allowed at any of the emergency shelters.", CON, [8], "negation"),
    (S3, "The flood wall planned for the Tannery district was completed in 2022.", CON, [18], "negation"),
    (S3, "Fire chief Caspian Nowakowska-Reed told residents, 'Your sofa can be replaced. You cannot.'", CON, [15], "wrong_speaker"),
    (S3, "The Civic Hall shelter on Orchard Street is in Marlstoke.", CON, [7], "wrong_entity"),
    (S3, "Officials expect evacuees to be able to return home by Sunday.", NIS, [], "on_topic_missing"),
    (S3, "The Tannery district flood wall is projected to cost $40 million.", NIS, [], "on_topic_missing"),
    (S3, "At least 300 homes were flooded in Quenby Ford.", NIS, [], "on_topic_missing"),
    (S3, "A regional airline has ordered 12 new turboprop aircraft.", NIS, [], "off_topic"),

    # --- S4 ---
    (S4, "Roughly 40 protesters held a sit-in at Pemberton Hall for several hours and departed voluntarily in the evening.", SUP, [8], "paraphrase"),
    (S4, "A state senator intends to propose an extra $15 million for Ambersley and two other public universities.", SUP, [16], "paraphrase"),
    (S4, "President Cordelia Vasquez-Thornbury told the board that none of its members wanted to approve the increase.", SUP, [5], "quote_attribution"),
    (S4, "Student union president Juniper Okafor-Lindqvist accused the university of balancing its books on students who already hold two jobs.", SUP, [9], "quote_attribution"),
    (S4, "In-state undergraduates will pay $873 more in tuition next year.", SUP, [2], "number"),
    (S4, "Close to 42% of Ambersley's undergraduates signed the petition against the increase.", SUP, [10], "number"),
    (S4, "The trustees approved the increase by a vote of 8 to 5.", CON, [1, 11], "number_changed"),
    (S4, "Out-of-state undergraduate tuition will rise 11%.", CON, [2], "number_changed"),
    (S4, "Mandatory student fees will also rise next year.", CON, [3], "negation"),
    (S4, "Campus housing rates will go up in 2026-27.", CON, [14], "negation"),
    (S4, "Trustee Bartholomew Ashcombe said a flat budget in an inflationary year amounts to a cut.", CON, [5], "wrong_speaker"),
    (S4, "Students began gathering outside Pemberton Hall at about 8 a.m., two hours before the meeting.", CON, [7], "wrong_entity"),
    (S4, "Ambersley's law school plans to raise its tuition by 10%.", NIS, [], "on_topic_missing"),
    (S4, "Ambersley's reserve fund holds more than $100 million.", NIS, [], "on_topic_missing"),
    (S4, "Several students who occupied Pemberton Hall have been suspended.", NIS, [], "on_topic_missing"),
    (S4, "A local zoo has welcomed twin red panda cubs.", NIS, [], "off_topic"),
]


def main():
    with open(os.path.join(ROOT, "questions.jsonl"), "w", encoding="utf-8") as f:
        for s, q, p, st in QUESTIONS:
            f.write(json.dumps({"source": s, "question": q, "paragraphs": p, "style": st},
                               ensure_ascii=False) + "\n")
    with open(os.path.join(ROOT, "claims.jsonl"), "w", encoding="utf-8") as f:
        for s, c, v, p, k in CLAIMS:
            f.write(json.dumps({"source": s, "claim": c, "verdict": v, "paragraphs": p, "kind": k},
                               ensure_ascii=False) + "\n")
    print(f"wrote {len(QUESTIONS)} questions, {len(CLAIMS)} claims")


if __name__ == "__main__":
    main()
