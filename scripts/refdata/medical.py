"""Healthcare reference tables: chronic conditions, medications, allergies, visit reasons.

The clinical knowledge here is hand-curated (which conditions, how common, which
drugs treat them, who sees whom for what); every code and drug name is checked
against the pinned packages at build time, and the build fails if one does not exist:

* ICD-10-CM codes must be **billable** in ``simple-icd-10-cm`` (a valid item that is a
  category or subcategory without children); descriptions are the package's official
  ones (CDC/NCHS ICD-10-CM, US public domain), never typed here.
* Drug names must resolve in ``drug-named-entity-recognition``'s dictionary (read from
  its data file ``drug_ner_dictionary.pkl.bz2`` without importing the package, which
  would touch the network cache in the home folder); the shipped name is the
  dictionary's canonical one, with its DrugBank id where it has one.

Files written:

**conditions.parquet** — one row per chronic condition: ``code`` (ICD-10-CM),
``description``, ``name`` (a short everyday name), ``specialty`` (who treats it),
``sex`` (``any``/``female``/``male``), ``min_age``, ``bmi_min``/``bmi_max`` (the BMI
band the code requires; 0 and 999 when none), ``bmi_rr`` (relative risk per 5 BMI
units), ``treated`` (share of patients with it on a drug for it), and
``p_female_<age>``/``p_male_<age>``: the share of people of that sex and age who have a
diagnosis of it, at ages 10, 30, 50, 70 and 85 (datasets interpolate between them).
Obesity codes (E66.81x) hold the share of people *in their BMI band* who carry the
code. Prevalences are rounded approximations of published US and European figures
(CDC NHANES/NHIS and MMWR summaries, the AHA heart disease statistics, the GBD study,
Eurostat's EHIS), for diagnosed conditions; they are for realistic fake data, not
for research.

**medications.parquet** — one row per (condition, drug): ``condition_code``,
``drug`` (canonical name), ``drugbank_id`` ("" when the dictionary has none),
``dose``, ``frequency`` (a typical adult maintenance regimen) and ``weight`` (its
share among the condition's drugs). Combination products name their components with
``/``; each component is checked.

**allergies.parquet** — ``allergen``, ``category`` (drug/food/insect/other), the
ICD-10-CM allergy-status ``code`` and its ``description``, ``drug`` (the canonical drug
name for drug allergens, else ""), and ``prevalence_child``/``prevalence_adult``
(share of people with a recorded allergy; self-reported drug allergies — penicillin
about 8–10 % in US records — far exceed confirmed ones).

**visit_reasons.parquet** — why people see each specialty: ``specialty``, ``code``,
``description``, ``kind`` (chronic follow-up, acute, preventive), ``weight`` (share
within the specialty), ``requires`` (a conditions code the patient must have, or ""),
``sex``, ``min_age``/``max_age``, ``respiratory`` (ICD chapter J, COVID-19, cough)
and ``peak_month``/``seasonality`` (the month of the yearly peak in the northern
hemisphere and the amplitude of ``1 + seasonality · cos``; 0 for none).
"""

from __future__ import annotations

import bz2
import pickle
from typing import Any

import polars as pl

from refdata.build import Artifact, BuildContext, Source, fail, frame, package_dir

#: Ages at which prevalences are given; datasets interpolate linearly between them.
AGES = (10, 30, 50, 70, 85)
SPECIALTIES = (
    "Family Medicine",
    "Pediatrics",
    "Cardiology",
    "Endocrinology",
    "Pulmonology",
    "Dermatology",
    "Orthopedics",
    "Gastroenterology",
    "Neurology",
    "Psychiatry",
    "Obstetrics and Gynecology",
    "Urology",
    "Rheumatology",
)

P = tuple[float, float, float, float, float]

# code, short name, treating specialty, sex, min_age, (bmi_min, bmi_max), bmi_rr,
# treated, prevalence (female) at AGES, prevalence (male) at AGES.
# Rough sources: hypertension, hyperlipidemia, diabetes, CKD, obesity — CDC NHANES
# 2017–2020 and the National Diabetes Statistics Report; heart disease, AF, heart
# failure, PAD — AHA Heart Disease & Stroke Statistics 2023; asthma, COPD, arthritis,
# migraine, depression, anxiety, smoking — CDC NHIS 2019–2022; thyroid — NHANES III;
# osteoporosis — NCHS data brief 405; GERD, IBS, IBD — GBD 2019 and Rome Foundation
# surveys; neurology — GBD 2016 (epilepsy, Parkinson's, MS) and the Alzheimer's
# Association facts; BPH, gout, psoriasis, atopic dermatitis, acne, ADHD, bipolar,
# schizophrenia — GBD and NIMH summaries. Values are diagnosed prevalences, rounded.
_CONDITIONS: list[tuple[str, str, str, str, int, tuple[float, float], float, float, P, P]] = [
    ("I10", "Hypertension", "Cardiology", "any", 0, (0, 999), 1.35, 0.75,
     (0.002, 0.06, 0.28, 0.58, 0.70), (0.003, 0.11, 0.36, 0.60, 0.68)),
    ("E78.5", "High cholesterol", "Cardiology", "any", 0, (0, 999), 1.15, 0.6,
     (0.004, 0.05, 0.24, 0.45, 0.45), (0.004, 0.08, 0.30, 0.45, 0.40)),
    ("E11.9", "Type 2 diabetes", "Endocrinology", "any", 0, (0, 999), 1.9, 0.85,
     (0.001, 0.02, 0.09, 0.18, 0.18), (0.001, 0.025, 0.12, 0.22, 0.20)),
    ("E10.9", "Type 1 diabetes", "Endocrinology", "any", 0, (0, 999), 1.0, 1.0,
     (0.0025, 0.004, 0.004, 0.003, 0.002), (0.0028, 0.0045, 0.0045, 0.0035, 0.002)),
    ("J45.909", "Asthma", "Pulmonology", "any", 0, (0, 999), 1.15, 0.8,
     (0.07, 0.10, 0.10, 0.09, 0.07), (0.09, 0.06, 0.06, 0.06, 0.05)),
    ("J44.9", "COPD", "Pulmonology", "any", 35, (0, 999), 1.0, 0.8,
     (0.0, 0.004, 0.05, 0.11, 0.12), (0.0, 0.004, 0.05, 0.12, 0.15)),
    ("I25.10", "Coronary artery disease", "Cardiology", "any", 25, (0, 999), 1.2, 0.9,
     (0.0, 0.001, 0.03, 0.10, 0.18), (0.0, 0.002, 0.06, 0.18, 0.25)),
    ("I48.91", "Atrial fibrillation", "Cardiology", "any", 20, (0, 999), 1.2, 0.85,
     (0.0, 0.001, 0.01, 0.06, 0.13), (0.0, 0.002, 0.02, 0.09, 0.16)),
    ("I50.9", "Heart failure", "Cardiology", "any", 20, (0, 999), 1.3, 0.9,
     (0.0, 0.001, 0.01, 0.04, 0.10), (0.0, 0.001, 0.015, 0.06, 0.12)),
    ("E03.9", "Hypothyroidism", "Endocrinology", "any", 0, (0, 999), 1.05, 0.9,
     (0.003, 0.04, 0.09, 0.15, 0.18), (0.002, 0.01, 0.02, 0.05, 0.07)),
    ("M17.9", "Knee osteoarthritis", "Orthopedics", "any", 30, (0, 999), 1.4, 0.5,
     (0.0, 0.005, 0.08, 0.20, 0.28), (0.0, 0.005, 0.06, 0.14, 0.20)),
    ("M16.9", "Hip osteoarthritis", "Orthopedics", "any", 30, (0, 999), 1.15, 0.4,
     (0.0, 0.002, 0.03, 0.09, 0.15), (0.0, 0.002, 0.025, 0.07, 0.12)),
    ("M81.0", "Osteoporosis", "Rheumatology", "any", 40, (0, 999), 0.8, 0.6,
     (0.0, 0.001, 0.03, 0.16, 0.30), (0.0, 0.0, 0.005, 0.03, 0.08)),
    ("K21.9", "Acid reflux (GERD)", "Gastroenterology", "any", 0, (0, 999), 1.25, 0.7,
     (0.01, 0.10, 0.16, 0.20, 0.20), (0.01, 0.08, 0.14, 0.17, 0.17)),
    ("F32.A", "Depression", "Psychiatry", "any", 8, (0, 999), 1.1, 0.6,
     (0.02, 0.12, 0.12, 0.10, 0.10), (0.01, 0.06, 0.07, 0.06, 0.07)),
    ("F41.1", "Generalized anxiety disorder", "Psychiatry", "any", 6, (0, 999), 1.0, 0.5,
     (0.02, 0.09, 0.08, 0.06, 0.05), (0.01, 0.05, 0.04, 0.03, 0.03)),
    ("G43.909", "Migraine", "Neurology", "any", 5, (0, 999), 1.0, 0.5,
     (0.03, 0.18, 0.15, 0.06, 0.03), (0.02, 0.06, 0.05, 0.03, 0.02)),
    ("G47.33", "Obstructive sleep apnea", "Pulmonology", "any", 0, (0, 999), 2.0, 0.0,
     (0.005, 0.02, 0.06, 0.10, 0.08), (0.01, 0.05, 0.14, 0.18, 0.14)),
    ("N40.1", "Enlarged prostate (BPH)", "Urology", "male", 40, (0, 999), 1.1, 0.6,
     (0.0, 0.0, 0.0, 0.0, 0.0), (0.0, 0.0, 0.10, 0.35, 0.50)),
    ("M10.9", "Gout", "Rheumatology", "any", 20, (0, 999), 1.4, 0.7,
     (0.0, 0.001, 0.01, 0.03, 0.05), (0.0, 0.01, 0.04, 0.08, 0.10)),
    ("N18.30", "Chronic kidney disease, stage 3", "Family Medicine", "any", 20, (0, 999), 1.2,
     0.3, (0.0, 0.002, 0.02, 0.10, 0.25), (0.0, 0.002, 0.02, 0.09, 0.22)),
    ("L40.0", "Psoriasis", "Dermatology", "any", 0, (0, 999), 1.2, 0.5,
     (0.005, 0.02, 0.03, 0.03, 0.025), (0.005, 0.02, 0.03, 0.03, 0.025)),
    ("L20.9", "Eczema (atopic dermatitis)", "Dermatology", "any", 0, (0, 999), 1.0, 0.6,
     (0.10, 0.05, 0.03, 0.02, 0.02), (0.10, 0.04, 0.02, 0.02, 0.02)),
    ("L70.0", "Acne", "Dermatology", "any", 10, (0, 999), 1.0, 0.6,
     (0.03, 0.08, 0.02, 0.0, 0.0), (0.03, 0.05, 0.01, 0.0, 0.0)),
    ("F90.9", "ADHD", "Psychiatry", "any", 4, (0, 999), 1.0, 0.6,
     (0.06, 0.04, 0.02, 0.005, 0.0), (0.13, 0.05, 0.02, 0.005, 0.0)),
    ("G40.909", "Epilepsy", "Neurology", "any", 0, (0, 999), 1.0, 0.9,
     (0.006, 0.007, 0.007, 0.008, 0.009), (0.007, 0.008, 0.008, 0.009, 0.01)),
    ("G20.A1", "Parkinson's disease", "Neurology", "any", 40, (0, 999), 1.0, 0.9,
     (0.0, 0.0, 0.001, 0.01, 0.025), (0.0, 0.0, 0.0015, 0.015, 0.035)),
    ("G30.9", "Alzheimer's disease", "Neurology", "any", 50, (0, 999), 1.0, 0.5,
     (0.0, 0.0, 0.0, 0.03, 0.15), (0.0, 0.0, 0.0, 0.025, 0.11)),
    ("G35.D", "Multiple sclerosis", "Neurology", "any", 15, (0, 999), 1.0, 0.8,
     (0.0, 0.003, 0.005, 0.004, 0.002), (0.0, 0.001, 0.002, 0.0015, 0.001)),
    ("F17.210", "Smoking (nicotine dependence)", "Family Medicine", "any", 14, (0, 999), 1.0,
     0.15, (0.0, 0.10, 0.11, 0.07, 0.03), (0.0, 0.14, 0.14, 0.09, 0.04)),
    ("E66.811", "Obesity, class 1", "Endocrinology", "any", 18, (30, 35), 1.0, 0.1,
     (0.0, 0.5, 0.6, 0.6, 0.5), (0.0, 0.45, 0.55, 0.55, 0.45)),
    ("E66.812", "Obesity, class 2", "Endocrinology", "any", 18, (35, 40), 1.0, 0.15,
     (0.0, 0.6, 0.7, 0.7, 0.6), (0.0, 0.55, 0.65, 0.65, 0.55)),
    ("E66.813", "Obesity, class 3", "Endocrinology", "any", 18, (40, 999), 1.0, 0.2,
     (0.0, 0.75, 0.8, 0.8, 0.75), (0.0, 0.7, 0.75, 0.75, 0.7)),
    ("K58.9", "Irritable bowel syndrome", "Gastroenterology", "any", 8, (0, 999), 1.0, 0.3,
     (0.01, 0.08, 0.07, 0.05, 0.04), (0.005, 0.04, 0.035, 0.03, 0.02)),
    ("M06.9", "Rheumatoid arthritis", "Rheumatology", "any", 16, (0, 999), 1.1, 0.85,
     (0.0, 0.003, 0.01, 0.02, 0.02), (0.0, 0.001, 0.004, 0.01, 0.01)),
    ("N95.1", "Menopausal symptoms", "Obstetrics and Gynecology", "female", 40, (0, 999), 1.0,
     0.3, (0.0, 0.0, 0.20, 0.05, 0.01), (0.0, 0.0, 0.0, 0.0, 0.0)),
    ("E28.2", "Polycystic ovary syndrome", "Obstetrics and Gynecology", "female", 12, (0, 999),
     1.3, 0.5, (0.005, 0.06, 0.03, 0.0, 0.0), (0.0, 0.0, 0.0, 0.0, 0.0)),
    ("J30.9", "Allergic rhinitis (hay fever)", "Family Medicine", "any", 0, (0, 999), 1.0, 0.6,
     (0.10, 0.15, 0.15, 0.10, 0.07), (0.12, 0.12, 0.12, 0.09, 0.06)),
    ("E55.9", "Vitamin D deficiency", "Family Medicine", "any", 0, (0, 999), 1.1, 0.6,
     (0.02, 0.06, 0.07, 0.08, 0.10), (0.02, 0.04, 0.05, 0.06, 0.08)),
    ("D50.9", "Iron deficiency anemia", "Family Medicine", "any", 0, (0, 999), 1.0, 0.7,
     (0.02, 0.05, 0.04, 0.03, 0.05), (0.01, 0.005, 0.01, 0.02, 0.05)),
    ("F51.01", "Insomnia", "Psychiatry", "any", 12, (0, 999), 1.05, 0.3,
     (0.0, 0.04, 0.07, 0.09, 0.10), (0.0, 0.03, 0.05, 0.07, 0.08)),
    ("I73.9", "Peripheral artery disease", "Cardiology", "any", 40, (0, 999), 1.1, 0.5,
     (0.0, 0.0, 0.01, 0.04, 0.08), (0.0, 0.0, 0.015, 0.05, 0.10)),
    ("K50.90", "Crohn's disease", "Gastroenterology", "any", 8, (0, 999), 1.0, 0.8,
     (0.001, 0.003, 0.003, 0.003, 0.002), (0.001, 0.003, 0.003, 0.002, 0.002)),
    ("K51.90", "Ulcerative colitis", "Gastroenterology", "any", 8, (0, 999), 1.0, 0.8,
     (0.001, 0.003, 0.004, 0.004, 0.003), (0.001, 0.003, 0.004, 0.004, 0.003)),
    ("F31.9", "Bipolar disorder", "Psychiatry", "any", 12, (0, 999), 1.1, 0.8,
     (0.0, 0.02, 0.015, 0.01, 0.005), (0.0, 0.02, 0.015, 0.01, 0.005)),
    ("F20.9", "Schizophrenia", "Psychiatry", "any", 14, (0, 999), 1.0, 0.9,
     (0.0, 0.003, 0.004, 0.003, 0.002), (0.0, 0.005, 0.005, 0.003, 0.002)),
]  # fmt: skip

# condition code → [(drug lookup name, dose, frequency, weight)]; names are looked up in
# the drug dictionary (lower case), combinations as "a/b".
_MEDICATIONS: dict[str, list[tuple[str, str, str, float]]] = {
    "I10": [
        ("lisinopril", "10 mg", "once daily", 0.3),
        ("amlodipine", "5 mg", "once daily", 0.25),
        ("losartan", "50 mg", "once daily", 0.2),
        ("hydrochlorothiazide", "25 mg", "once daily", 0.15),
        ("metoprolol", "50 mg", "twice daily", 0.1),
    ],
    "E78.5": [
        ("atorvastatin", "20 mg", "once daily", 0.5),
        ("rosuvastatin", "10 mg", "once daily", 0.25),
        ("simvastatin", "20 mg", "once daily", 0.2),
        ("ezetimibe", "10 mg", "once daily", 0.05),
    ],
    "E11.9": [
        ("metformin", "500 mg", "twice daily", 0.6),
        ("empagliflozin", "10 mg", "once daily", 0.1),
        ("semaglutide", "0.5 mg", "once weekly", 0.1),
        ("glipizide", "5 mg", "once daily", 0.1),
        ("sitagliptin", "100 mg", "once daily", 0.1),
    ],
    "E10.9": [
        ("insulin glargine", "20 units", "once daily", 0.6),
        ("insulin lispro", "6 units", "with meals", 0.4),
    ],
    "J45.909": [
        ("albuterol", "90 mcg, 2 puffs", "as needed", 0.5),
        ("fluticasone", "110 mcg, 2 puffs", "twice daily", 0.3),
        ("montelukast", "10 mg", "once daily", 0.2),
    ],
    "J44.9": [
        ("tiotropium", "18 mcg", "once daily", 0.5),
        ("albuterol", "90 mcg, 2 puffs", "as needed", 0.3),
        ("salmeterol", "50 mcg", "twice daily", 0.2),
    ],
    "I25.10": [
        ("aspirin", "81 mg", "once daily", 0.5),
        ("clopidogrel", "75 mg", "once daily", 0.2),
        ("atorvastatin", "40 mg", "once daily", 0.3),
    ],
    "I48.91": [
        ("apixaban", "5 mg", "twice daily", 0.5),
        ("rivaroxaban", "20 mg", "once daily", 0.2),
        ("warfarin", "5 mg", "once daily", 0.15),
        ("metoprolol", "50 mg", "twice daily", 0.15),
    ],
    "I50.9": [
        ("furosemide", "40 mg", "once daily", 0.4),
        ("carvedilol", "12.5 mg", "twice daily", 0.3),
        ("spironolactone", "25 mg", "once daily", 0.15),
        ("lisinopril", "10 mg", "once daily", 0.15),
    ],
    "E03.9": [("levothyroxine", "50 mcg", "once daily", 1.0)],
    "M17.9": [
        ("ibuprofen", "400 mg", "as needed", 0.3),
        ("naproxen", "500 mg", "twice daily", 0.3),
        ("acetaminophen", "500 mg", "as needed", 0.3),
        ("diclofenac", "1 % gel", "four times daily", 0.1),
    ],
    "M16.9": [
        ("ibuprofen", "400 mg", "as needed", 0.35),
        ("naproxen", "500 mg", "twice daily", 0.3),
        ("acetaminophen", "500 mg", "as needed", 0.35),
    ],
    "M81.0": [
        ("alendronate", "70 mg", "once weekly", 0.7),
        ("denosumab", "60 mg", "every 6 months", 0.3),
    ],
    "K21.9": [
        ("omeprazole", "20 mg", "once daily", 0.5),
        ("pantoprazole", "40 mg", "once daily", 0.3),
        ("famotidine", "20 mg", "twice daily", 0.2),
    ],
    "F32.A": [
        ("sertraline", "50 mg", "once daily", 0.4),
        ("escitalopram", "10 mg", "once daily", 0.3),
        ("bupropion", "150 mg", "once daily", 0.15),
        ("fluoxetine", "20 mg", "once daily", 0.15),
    ],
    "F41.1": [
        ("escitalopram", "10 mg", "once daily", 0.4),
        ("sertraline", "50 mg", "once daily", 0.3),
        ("buspirone", "10 mg", "twice daily", 0.3),
    ],
    "G43.909": [
        ("sumatriptan", "50 mg", "as needed", 0.6),
        ("propranolol", "40 mg", "twice daily", 0.2),
        ("topiramate", "25 mg", "twice daily", 0.2),
    ],
    "N40.1": [
        ("tamsulosin", "0.4 mg", "once daily", 0.7),
        ("finasteride", "5 mg", "once daily", 0.3),
    ],
    "M10.9": [
        ("allopurinol", "300 mg", "once daily", 0.7),
        ("colchicine", "0.6 mg", "as needed", 0.3),
    ],
    "N18.30": [
        ("losartan", "50 mg", "once daily", 0.5),
        ("dapagliflozin", "10 mg", "once daily", 0.5),
    ],
    "L40.0": [
        ("clobetasol", "0.05 % cream", "twice daily", 0.6),
        ("adalimumab", "40 mg", "every 2 weeks", 0.2),
        ("methotrexate", "15 mg", "once weekly", 0.2),
    ],
    "L20.9": [
        ("hydrocortisone", "1 % cream", "twice daily", 0.6),
        ("tacrolimus", "0.1 % ointment", "twice daily", 0.2),
        ("dupilumab", "300 mg", "every 2 weeks", 0.2),
    ],
    "L70.0": [
        ("tretinoin", "0.025 % cream", "once daily", 0.4),
        ("doxycycline", "100 mg", "once daily", 0.3),
        ("benzoyl peroxide", "5 % gel", "once daily", 0.3),
    ],
    "F90.9": [
        ("methylphenidate", "10 mg", "twice daily", 0.5),
        ("lisdexamfetamine", "30 mg", "once daily", 0.3),
        ("atomoxetine", "40 mg", "once daily", 0.2),
    ],
    "G40.909": [
        ("levetiracetam", "500 mg", "twice daily", 0.5),
        ("lamotrigine", "100 mg", "twice daily", 0.3),
        ("valproic acid", "500 mg", "twice daily", 0.2),
    ],
    "G20.A1": [
        ("carbidopa/levodopa", "25/100 mg", "three times daily", 0.7),
        ("ropinirole", "1 mg", "three times daily", 0.3),
    ],
    "G30.9": [
        ("donepezil", "10 mg", "once daily", 0.7),
        ("memantine", "10 mg", "twice daily", 0.3),
    ],
    "G35.D": [
        ("ocrelizumab", "600 mg", "every 6 months", 0.5),
        ("dimethyl fumarate", "240 mg", "twice daily", 0.5),
    ],
    "F17.210": [
        ("varenicline", "1 mg", "twice daily", 0.6),
        ("nicotine patch", "21 mg/24 h", "once daily", 0.4),
    ],
    "E66.811": [
        ("semaglutide", "2.4 mg", "once weekly", 0.6),
        ("tirzepatide", "5 mg", "once weekly", 0.2),
        ("phentermine", "37.5 mg", "once daily", 0.2),
    ],
    "E66.812": [
        ("semaglutide", "2.4 mg", "once weekly", 0.6),
        ("tirzepatide", "5 mg", "once weekly", 0.3),
        ("phentermine", "37.5 mg", "once daily", 0.1),
    ],
    "E66.813": [
        ("semaglutide", "2.4 mg", "once weekly", 0.5),
        ("tirzepatide", "10 mg", "once weekly", 0.5),
    ],
    "K58.9": [
        ("dicyclomine", "20 mg", "four times daily", 0.5),
        ("linaclotide", "145 mcg", "once daily", 0.5),
    ],
    "M06.9": [
        ("methotrexate", "15 mg", "once weekly", 0.6),
        ("hydroxychloroquine", "200 mg", "twice daily", 0.25),
        ("adalimumab", "40 mg", "every 2 weeks", 0.15),
    ],
    "N95.1": [("estradiol patch", "0.05 mg/day", "twice weekly", 1.0)],
    "E28.2": [
        ("metformin", "500 mg", "twice daily", 0.5),
        ("spironolactone", "100 mg", "once daily", 0.5),
    ],
    "J30.9": [
        ("cetirizine", "10 mg", "once daily", 0.4),
        ("loratadine", "10 mg", "once daily", 0.3),
        ("fluticasone", "50 mcg, 2 sprays", "once daily", 0.3),
    ],
    "E55.9": [("cholecalciferol", "1000 IU", "once daily", 1.0)],
    "D50.9": [("ferrous sulfate", "325 mg", "once daily", 1.0)],
    "F51.01": [
        ("zolpidem", "5 mg", "at bedtime", 0.5),
        ("trazodone", "50 mg", "at bedtime", 0.5),
    ],
    "I73.9": [
        ("cilostazol", "100 mg", "twice daily", 0.5),
        ("clopidogrel", "75 mg", "once daily", 0.5),
    ],
    "K50.90": [
        ("adalimumab", "40 mg", "every 2 weeks", 0.5),
        ("azathioprine", "50 mg", "once daily", 0.5),
    ],
    "K51.90": [("mesalamine", "1.2 g", "twice daily", 1.0)],
    "F31.9": [
        ("lithium carbonate", "300 mg", "twice daily", 0.4),
        ("quetiapine", "100 mg", "at bedtime", 0.3),
        ("lamotrigine", "100 mg", "once daily", 0.3),
    ],
    "F20.9": [
        ("risperidone", "2 mg", "twice daily", 0.5),
        ("olanzapine", "10 mg", "once daily", 0.5),
    ],
}

# allergen, category, ICD-10-CM allergy-status code, drug lookup name ("" if none),
# prevalence under 18, prevalence 18+ (recorded allergies; US EHR and survey figures:
# penicillin ~8 %, sulfonamides ~3 %, peanut ~2 % of children, shellfish ~2–3 % of adults).
_ALLERGIES: list[tuple[str, str, str, str, float, float]] = [
    ("Penicillin", "drug", "Z88.0", "amoxicillin", 0.04, 0.08),
    ("Sulfonamides", "drug", "Z88.2", "sulfamethoxazole", 0.01, 0.03),
    ("Aspirin", "drug", "Z88.6", "aspirin", 0.002, 0.01),
    ("Codeine", "drug", "Z88.5", "codeine", 0.002, 0.01),
    ("Cephalosporins", "drug", "Z88.1", "cefalexin", 0.005, 0.01),
    ("Peanuts", "food", "Z91.010", "", 0.022, 0.012),
    ("Shellfish", "food", "Z91.013", "", 0.01, 0.025),
    ("Milk", "food", "Z91.0110", "", 0.02, 0.005),
    ("Eggs", "food", "Z91.0120", "", 0.013, 0.002),
    ("Bee stings", "insect", "Z91.030", "", 0.005, 0.01),
    ("Latex", "other", "Z91.040", "", 0.003, 0.007),
]

# specialty → [(code, kind, weight, requires, sex, min_age, max_age, peak_month,
# seasonality)]. requires "=" means the code itself (a chronic condition of the
# patient); peak months are northern-hemisphere (respiratory infections peak in
# January-February, allergic rhinitis in May, flu shots in October).
_REASONS: dict[str, list[tuple[str, str, float, str, str, int, int, int, float]]] = {
    "Family Medicine": [
        ("I10", "chronic", 8, "=", "any", 0, 120, 0, 0.0),
        ("E11.9", "chronic", 5, "=", "any", 0, 120, 0, 0.0),
        ("E78.5", "chronic", 4, "=", "any", 0, 120, 0, 0.0),
        ("J06.9", "acute", 10, "", "any", 0, 120, 1, 0.8),
        ("J02.9", "acute", 4, "", "any", 0, 120, 1, 0.6),
        ("J20.9", "acute", 4, "", "any", 0, 120, 1, 0.9),
        ("J11.1", "acute", 3, "", "any", 0, 120, 1, 2.5),
        ("U07.1", "acute", 2, "", "any", 0, 120, 12, 0.6),
        ("R05.9", "acute", 3, "", "any", 0, 120, 1, 0.7),
        ("H66.90", "acute", 2, "", "any", 0, 120, 1, 0.6),
        ("N39.0", "acute", 4, "", "any", 0, 120, 0, 0.0),
        ("M54.50", "acute", 5, "", "any", 12, 120, 0, 0.0),
        ("R51.9", "acute", 2, "", "any", 0, 120, 0, 0.0),
        ("L30.9", "acute", 2, "", "any", 0, 120, 0, 0.0),
        ("Z00.00", "preventive", 10, "", "any", 18, 120, 0, 0.0),
        ("Z23", "preventive", 4, "", "any", 0, 120, 10, 1.5),
        ("F41.1", "chronic", 2, "=", "any", 0, 120, 0, 0.0),
        ("J30.9", "chronic", 2, "=", "any", 0, 120, 5, 0.8),
        ("E03.9", "chronic", 2, "=", "any", 0, 120, 0, 0.0),
        ("F17.210", "chronic", 1, "=", "any", 0, 120, 0, 0.0),
        ("E55.9", "chronic", 1, "=", "any", 0, 120, 0, 0.0),
        ("D50.9", "chronic", 1, "=", "any", 0, 120, 0, 0.0),
        ("N18.30", "chronic", 1, "=", "any", 0, 120, 0, 0.0),
    ],
    "Pediatrics": [
        ("Z00.129", "preventive", 12, "", "any", 0, 17, 0, 0.0),
        ("J06.9", "acute", 12, "", "any", 0, 17, 1, 0.8),
        ("H66.90", "acute", 6, "", "any", 0, 17, 1, 0.7),
        ("J02.9", "acute", 4, "", "any", 0, 17, 1, 0.6),
        ("J21.9", "acute", 2, "", "any", 0, 2, 1, 2.0),
        ("R50.9", "acute", 4, "", "any", 0, 17, 1, 0.6),
        ("A08.4", "acute", 3, "", "any", 0, 17, 1, 0.5),
        ("R10.9", "acute", 2, "", "any", 0, 17, 0, 0.0),
        ("Z23", "preventive", 6, "", "any", 0, 17, 10, 0.8),
        ("J45.909", "chronic", 3, "=", "any", 0, 17, 0, 0.0),
        ("L20.9", "chronic", 2, "=", "any", 0, 17, 0, 0.0),
        ("F90.9", "chronic", 2, "=", "any", 0, 17, 0, 0.0),
    ],
    "Cardiology": [
        ("I10", "chronic", 8, "=", "any", 0, 120, 0, 0.0),
        ("I25.10", "chronic", 6, "=", "any", 0, 120, 0, 0.0),
        ("I48.91", "chronic", 5, "=", "any", 0, 120, 0, 0.0),
        ("I50.9", "chronic", 4, "=", "any", 0, 120, 1, 0.3),
        ("E78.5", "chronic", 3, "=", "any", 0, 120, 0, 0.0),
        ("I73.9", "chronic", 2, "=", "any", 0, 120, 0, 0.0),
        ("R07.9", "acute", 5, "", "any", 18, 120, 0, 0.0),
        ("R00.2", "acute", 3, "", "any", 12, 120, 0, 0.0),
        ("Z01.810", "preventive", 2, "", "any", 18, 120, 0, 0.0),
    ],
    "Endocrinology": [
        ("E11.9", "chronic", 10, "=", "any", 0, 120, 0, 0.0),
        ("E10.9", "chronic", 4, "=", "any", 0, 120, 0, 0.0),
        ("E03.9", "chronic", 6, "=", "any", 0, 120, 0, 0.0),
        ("E66.811", "chronic", 2, "=", "any", 0, 120, 0, 0.0),
        ("E66.812", "chronic", 2, "=", "any", 0, 120, 0, 0.0),
        ("E66.813", "chronic", 2, "=", "any", 0, 120, 0, 0.0),
        ("E55.9", "chronic", 1, "=", "any", 0, 120, 0, 0.0),
        ("E05.90", "acute", 2, "", "any", 12, 120, 0, 0.0),
        ("E28.2", "chronic", 2, "=", "female", 0, 120, 0, 0.0),
    ],
    "Pulmonology": [
        ("J45.909", "chronic", 8, "=", "any", 0, 120, 0, 0.0),
        ("J44.9", "chronic", 8, "=", "any", 0, 120, 1, 0.3),
        ("G47.33", "chronic", 6, "=", "any", 0, 120, 0, 0.0),
        ("J44.1", "acute", 4, "J44.9", "any", 0, 120, 1, 1.0),
        ("J45.901", "acute", 2, "J45.909", "any", 0, 120, 1, 0.8),
        ("J18.9", "acute", 4, "", "any", 0, 120, 1, 1.2),
        ("R06.02", "acute", 3, "", "any", 12, 120, 1, 0.3),
        ("R05.9", "acute", 3, "", "any", 0, 120, 1, 0.7),
    ],
    "Dermatology": [
        ("L70.0", "chronic", 6, "=", "any", 0, 120, 0, 0.0),
        ("L40.0", "chronic", 4, "=", "any", 0, 120, 0, 0.0),
        ("L20.9", "chronic", 4, "=", "any", 0, 120, 0, 0.0),
        ("D22.9", "acute", 6, "", "any", 12, 120, 0, 0.0),
        ("L57.0", "acute", 3, "", "any", 40, 120, 0, 0.0),
        ("L82.1", "acute", 2, "", "any", 30, 120, 0, 0.0),
        ("B07.9", "acute", 2, "", "any", 0, 120, 0, 0.0),
        ("L30.9", "acute", 2, "", "any", 0, 120, 0, 0.0),
        ("Z12.83", "preventive", 2, "", "any", 30, 120, 0, 0.0),
    ],
    "Orthopedics": [
        ("M17.9", "chronic", 6, "=", "any", 0, 120, 0, 0.0),
        ("M16.9", "chronic", 4, "=", "any", 0, 120, 0, 0.0),
        ("M54.50", "acute", 6, "", "any", 12, 120, 0, 0.0),
        ("M25.561", "acute", 3, "", "any", 10, 120, 0, 0.0),
        ("M25.511", "acute", 3, "", "any", 10, 120, 0, 0.0),
        ("M75.101", "acute", 2, "", "any", 30, 120, 0, 0.0),
        ("M72.2", "acute", 2, "", "any", 18, 120, 0, 0.0),
    ],
    "Gastroenterology": [
        ("K21.9", "chronic", 6, "=", "any", 0, 120, 0, 0.0),
        ("K58.9", "chronic", 5, "=", "any", 0, 120, 0, 0.0),
        ("K50.90", "chronic", 2, "=", "any", 0, 120, 0, 0.0),
        ("K51.90", "chronic", 2, "=", "any", 0, 120, 0, 0.0),
        ("K57.30", "acute", 3, "", "any", 40, 120, 0, 0.0),
        ("Z12.11", "preventive", 6, "", "any", 45, 120, 0, 0.0),
        ("R10.9", "acute", 4, "", "any", 0, 120, 0, 0.0),
        ("K59.00", "acute", 3, "", "any", 0, 120, 0, 0.0),
        ("A08.4", "acute", 1, "", "any", 0, 120, 1, 0.5),
    ],
    "Neurology": [
        ("G43.909", "chronic", 6, "=", "any", 0, 120, 0, 0.0),
        ("G40.909", "chronic", 4, "=", "any", 0, 120, 0, 0.0),
        ("G20.A1", "chronic", 3, "=", "any", 0, 120, 0, 0.0),
        ("G30.9", "chronic", 3, "=", "any", 0, 120, 0, 0.0),
        ("G35.D", "chronic", 2, "=", "any", 0, 120, 0, 0.0),
        ("G62.9", "acute", 3, "", "any", 30, 120, 0, 0.0),
        ("R51.9", "acute", 3, "", "any", 0, 120, 0, 0.0),
        ("R42", "acute", 3, "", "any", 18, 120, 0, 0.0),
    ],
    "Psychiatry": [
        ("F32.A", "chronic", 8, "=", "any", 0, 120, 0, 0.0),
        ("F41.1", "chronic", 7, "=", "any", 0, 120, 0, 0.0),
        ("F90.9", "chronic", 4, "=", "any", 0, 120, 0, 0.0),
        ("F31.9", "chronic", 3, "=", "any", 0, 120, 0, 0.0),
        ("F20.9", "chronic", 2, "=", "any", 0, 120, 0, 0.0),
        ("F51.01", "chronic", 2, "=", "any", 0, 120, 0, 0.0),
        ("F43.10", "acute", 2, "", "any", 6, 120, 0, 0.0),
    ],
    "Obstetrics and Gynecology": [
        ("Z34.90", "preventive", 10, "", "female", 16, 45, 0, 0.0),
        ("Z01.419", "preventive", 10, "", "female", 21, 120, 0, 0.0),
        ("N95.1", "chronic", 4, "=", "female", 0, 120, 0, 0.0),
        ("E28.2", "chronic", 3, "=", "female", 0, 120, 0, 0.0),
        ("N94.6", "acute", 3, "", "female", 12, 50, 0, 0.0),
        ("N92.0", "acute", 3, "", "female", 12, 55, 0, 0.0),
        ("N76.0", "acute", 3, "", "female", 14, 120, 0, 0.0),
        ("Z30.011", "preventive", 3, "", "female", 15, 49, 0, 0.0),
    ],
    "Urology": [
        ("N40.1", "chronic", 6, "=", "male", 0, 120, 0, 0.0),
        ("N39.0", "acute", 4, "", "any", 0, 120, 0, 0.0),
        ("N20.0", "acute", 3, "", "any", 18, 120, 7, 0.2),
        ("R31.9", "acute", 2, "", "any", 18, 120, 0, 0.0),
        ("N52.9", "acute", 3, "", "male", 30, 120, 0, 0.0),
        ("Z12.5", "preventive", 3, "", "male", 50, 120, 0, 0.0),
        ("N32.81", "acute", 3, "", "any", 40, 120, 0, 0.0),
    ],
    "Rheumatology": [
        ("M06.9", "chronic", 6, "=", "any", 0, 120, 0, 0.0),
        ("M10.9", "chronic", 5, "=", "any", 0, 120, 0, 0.0),
        ("M81.0", "chronic", 3, "=", "any", 0, 120, 0, 0.0),
        ("M35.3", "acute", 2, "", "any", 50, 120, 0, 0.0),
        ("M79.7", "acute", 3, "", "any", 18, 120, 0, 0.0),
        ("M32.9", "chronic", 1, "", "female", 15, 120, 0, 0.0),
    ],
}

SOURCES = [
    Source(
        "simple-icd-10-cm",
        "MIT (package); ICD-10-CM (CDC/NCHS) is US public domain",
        "ICD-10-CM codes (billable check) and their official descriptions",
    ),
]
DRUG_SOURCE = Source(
    "drug-named-entity-recognition",
    "MIT (package); its drug dictionary is from DrugBank Open Data (CC0), MeSH, "
    "MedlinePlus and the NHS",
    "drug names checked against the dictionary; canonical names and DrugBank ids",
)
CURATED = (
    "The clinical content (which conditions, prevalences by age and sex, treating "
    "specialties, drug choices, doses and frequencies, visit reasons and their weights) "
    "is hand-curated in `scripts/refdata/medical.py` from rounded published figures "
    "(CDC NHANES/NHIS, AHA statistics, GBD); it is realistic fake data, not medical advice."
)


def _icd() -> Any:
    import simple_icd_10_cm as cm

    return cm


def _billable(code: str) -> str:
    """The official description of a billable ICD-10-CM code; the build fails otherwise."""
    cm = _icd()
    if not cm.is_valid_item(code):
        fail(f"ICD-10-CM code {code!r} does not exist in simple-icd-10-cm")
    if not cm.is_category_or_subcategory(code) or not cm.is_leaf(code):
        children = ", ".join(cm.get_children(code)[:6])
        fail(f"ICD-10-CM code {code!r} is not billable (it has children: {children})")
    description = str(cm.get_description(code))
    if not description:
        fail(f"ICD-10-CM code {code!r} has no description")
    return description


_drug_dictionary: dict[str, Any] = {}


def _drugs() -> dict[str, Any]:
    if not _drug_dictionary:
        path = package_dir("drug_named_entity_recognition") / "drug_ner_dictionary.pkl.bz2"
        with bz2.open(path, "rb") as fh:
            _drug_dictionary.update(pickle.load(fh))  # the package's own data file
    return _drug_dictionary


def _drug(name: str) -> tuple[str, str]:
    """Canonical name and DrugBank id ("" if none) of a drug (or "a/b" combination)."""
    data = _drugs()
    names, ids = [], []
    for part in name.split("/"):
        canonicals = data["drug_variant_to_canonical"].get(part.strip().lower())
        if not canonicals:
            fail(f"drug {part!r} is not in drug-named-entity-recognition's dictionary")
        canonical = sorted(canonicals)[0]
        record = data["drug_canonical_to_data"].get(canonical)
        if not record or not record.get("name"):
            fail(f"drug {part!r} resolves to {canonical!r}, which has no record")
        shown = str(record["name"])
        names.append(shown[0].upper() + shown[1:])
        ids.append(str(record.get("drugbank_id") or ""))
    return "/".join(names), "/".join(i for i in ids if i) if all(ids) else ""


def build_conditions(ctx: BuildContext) -> Artifact:
    rows = []
    seen: set[str] = set()
    for code, name, specialty, sex, min_age, (lo, hi), rr, treated, pf, pm in _CONDITIONS:
        if code in seen:
            fail(f"conditions: duplicate code {code}")
        seen.add(code)
        if specialty not in SPECIALTIES or sex not in ("any", "female", "male"):
            fail(f"conditions: {code} has an unknown specialty or sex")
        if not all(0 <= p < 1 for p in (*pf, *pm)):
            fail(f"conditions: {code} has a prevalence outside [0, 1)")
        if code not in _MEDICATIONS and treated > 0:
            fail(f"conditions: {code} is treated but has no medications")
        rows.append(
            (code, _billable(code), name, specialty, sex, min_age, float(lo), float(hi),
             rr, treated, *pf, *pm)
        )  # fmt: skip
    schema: dict[str, Any] = {
        "code": pl.String,
        "description": pl.String,
        "name": pl.String,
        "specialty": pl.String,
        "sex": pl.String,
        "min_age": pl.Int16,
        "bmi_min": pl.Float64,
        "bmi_max": pl.Float64,
        "bmi_rr": pl.Float64,
        "treated": pl.Float64,
    }
    for sex in ("female", "male"):
        for age in AGES:
            schema[f"p_{sex}_{age}"] = pl.Float64
    df = frame(rows, schema).sort("code")
    return Artifact(
        name="conditions.parquet",
        frame=df,
        sources=SOURCES,
        origin="Common chronic conditions with their billable ICD-10-CM code and official "
        "description (simple-icd-10-cm; the build fails on a code that does not exist or "
        "is not billable), treating specialty, BMI band and risk, share treated with a drug, "
        f"and diagnosed prevalence by sex at ages {', '.join(map(str, AGES))}. " + CURATED,
        attribution=["ICD-10-CM: National Center for Health Statistics (CDC), public domain."],
    )


def build_medications(ctx: BuildContext) -> Artifact:
    codes = {c[0] for c in _CONDITIONS}
    rows = []
    for code, drugs in _MEDICATIONS.items():
        if code not in codes:
            fail(f"medications: {code} is not among the conditions")
        total = sum(w for *_, w in drugs)
        names = [d[0] for d in drugs]
        if len(set(names)) != len(names):
            fail(f"medications: a drug is listed twice for {code}")
        for drug, dose, frequency, weight in drugs:
            name, drugbank = _drug(drug)
            rows.append((code, name, drugbank, dose, frequency, weight / total))
    df = frame(
        rows,
        {
            "condition_code": pl.String,
            "drug": pl.String,
            "drugbank_id": pl.String,
            "dose": pl.String,
            "frequency": pl.String,
            "weight": pl.Float64,
        },
    ).sort("condition_code", "drug")
    return Artifact(
        name="medications.parquet",
        frame=df,
        sources=[*SOURCES, DRUG_SOURCE],
        origin="Drugs that treat each condition of conditions.parquet, with a typical adult "
        "dose and frequency and their share among the condition's drugs. Every name is "
        "resolved in drug-named-entity-recognition's dictionary (the build fails otherwise) "
        "and shipped under its canonical name with its DrugBank id. " + CURATED,
        attribution=[
            "Drug names from drug-named-entity-recognition (MIT, Fast Data Science); "
            "DrugBank Open Data is CC0."
        ],
    )


def build_allergies(ctx: BuildContext) -> Artifact:
    rows = []
    for allergen, category, code, drug, child, adult in _ALLERGIES:
        canonical = _drug(drug)[0] if drug else ""
        rows.append((allergen, category, code, _billable(code), canonical, child, adult))
    df = frame(
        rows,
        {
            "allergen": pl.String,
            "category": pl.String,
            "code": pl.String,
            "description": pl.String,
            "drug": pl.String,
            "prevalence_child": pl.Float64,
            "prevalence_adult": pl.Float64,
        },
    ).sort("code")
    return Artifact(
        name="allergies.parquet",
        frame=df,
        sources=[*SOURCES, DRUG_SOURCE],
        origin="Recorded allergies: allergen, category, the ICD-10-CM allergy-status code "
        "and its official description, a representative drug of the class for drug "
        "allergens (checked in the drug dictionary), and prevalence in children and "
        "adults. " + CURATED,
    )


def build_visit_reasons(ctx: BuildContext) -> Artifact:
    conditions = {c[0] for c in _CONDITIONS}
    rows = []
    for specialty, reasons in _REASONS.items():
        if specialty not in SPECIALTIES:
            fail(f"visit reasons: unknown specialty {specialty!r}")
        total = sum(r[2] for r in reasons)
        if not any(r[3] == "" and r[4] == "any" for r in reasons) and specialty not in (
            "Obstetrics and Gynecology",
            "Pediatrics",
        ):
            fail(f"visit reasons: {specialty} needs a reason open to every patient")
        for code, kind, weight, requires, sex, lo, hi, peak, amp in reasons:
            need = code if requires == "=" else requires
            if need and need not in conditions:
                fail(f"visit reasons: {code} requires {need}, which is not a condition")
            if kind not in ("chronic", "acute", "preventive"):
                fail(f"visit reasons: {code} has unknown kind {kind!r}")
            respiratory = code.startswith("J") or code in ("U07.1", "R05.9")
            rows.append(
                (specialty, code, _billable(code), kind, weight / total, need, sex, lo, hi,
                 respiratory, peak, amp)
            )  # fmt: skip
    missing = set(SPECIALTIES) - set(_REASONS)
    if missing:
        fail(f"visit reasons: no reasons for {sorted(missing)}")
    df = frame(
        rows,
        {
            "specialty": pl.String,
            "code": pl.String,
            "description": pl.String,
            "kind": pl.String,
            "weight": pl.Float64,
            "requires": pl.String,
            "sex": pl.String,
            "min_age": pl.Int16,
            "max_age": pl.Int16,
            "respiratory": pl.Boolean,
            "peak_month": pl.Int8,
            "seasonality": pl.Float64,
        },
    ).sort("specialty", "code")
    return Artifact(
        name="visit_reasons.parquet",
        frame=df,
        sources=SOURCES,
        origin="Why patients see each of 13 specialties: ICD-10-CM reason codes with their "
        "official descriptions, visit kind, share within the specialty, the chronic "
        "condition a follow-up requires, sex and age limits, and yearly seasonality "
        "(northern-hemisphere peak month and amplitude). " + CURATED,
    )


BUILDERS = [build_conditions, build_medications, build_allergies, build_visit_reasons]
